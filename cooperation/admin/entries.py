from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from cooperation import references
from cooperation.admin.base import RECORD_FIELDSET, HistoryAdmin, PublishableAdmin
from cooperation.admin.conflicts import VersionedInlineMixin
from cooperation.admin.sources import SourceForm
from cooperation.admin.widgets import AutocompleteKeysMixin
from cooperation.models import Actor, Challenge, Era, Mechanism, Membership, Region, Source, Topic
from cooperation.rendering import render_with_references


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    # The admin's script fills the slug from the title as it is typed, cutting a long one
    # mid-word; SourceForm cuts it back to whole words, and makes one without the script.
    form = SourceForm
    list_display = ["title", "publisher", "kind", "published_on", "url"]
    list_filter = ["kind"]
    search_fields = ["title", "author", "publisher", "url"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"


@admin.register(Region)
class RegionAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Era)
class EraAdmin(HistoryAdmin):
    list_display = ["name", "start_date", "end_date"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(VersionedInlineMixin, AutocompleteKeysMixin, admin.TabularInline):
    model = Membership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ["organisation", "sources"]
    verbose_name = "membership of an organisation"
    verbose_name_plural = "memberships of organisations"


class MemberInline(MembershipInline):
    fk_name = "organisation"
    autocomplete_fields = ["member", "sources"]
    verbose_name = "member"
    verbose_name_plural = "members"


@admin.register(Actor)
class ActorAdmin(PublishableAdmin):
    list_display = ["name", "short_name", "kind", "country_code", "region", "status", "updated_at"]
    list_filter = ["status", "kind", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "short_name", "slug", "wikidata_qid", "country_code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["region", "sources"]
    inlines = [MembershipInline, MemberInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "status"]}),
        ("Place and time", {"fields": ["region", "headquarters", "founded", "dissolved"]}),
        ("Text", {"fields": ["summary", "body", "website"]}),
        ("Identifiers", {"fields": ["country_code", "wikidata_qid", "cow_code", "atop_id"]}),
        ("Sources", {"fields": ["sources"]}),
        RECORD_FIELDSET,
    ]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["member", "organisation", "role", "start_date", "end_date"]
    list_filter = ["role", "organisation__kind"]
    list_select_related = ["member", "organisation"]
    search_fields = ["member__name", "organisation__name", "organisation__short_name"]
    autocomplete_fields = ["member", "organisation", "sources"]


@admin.register(Mechanism)
class MechanismAdmin(PublishableAdmin):
    list_display = ["name", "category", "parent", "status", "updated_at"]
    list_filter = ["status", "category"]
    list_select_related = ["parent"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "sources"]


@admin.register(Challenge)
class ChallengeAdmin(PublishableAdmin):
    list_display = ["name", "category", "status", "updated_at"]
    list_filter = ["status", "category"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["mitigated_by", "sources"]


@admin.register(Topic)
class TopicAdmin(PublishableAdmin):
    list_display = ["title", "nav_order", "status", "updated_at"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["sources"]
    change_form_template = "admin/cooperation/topic/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "nav_order", "status"]}),
        ("Text", {"fields": ["summary", "body"]}),
        ("Sources", {"fields": ["sources"]}),
        RECORD_FIELDSET,
    ]

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="cooperation_topic_preview",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def preview_view(self, request):
        """The text as the form holds it, rendered as the page would show it, with what is
        wrong with its references; nothing is saved."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        body = request.POST.get("body", "")
        html, referenced = render_with_references(body, request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Preview: {request.POST.get('title', '')}",
            "topic_title": request.POST.get("title", ""),
            "summary": request.POST.get("summary", ""),
            "body": html,
            "referenced": referenced,
            "problems": references.problems(body),
        }
        return TemplateResponse(request, "admin/cooperation/topic/preview.html", context)
