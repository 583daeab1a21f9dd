from django.contrib import admin

from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.admin.base import RECORD_FIELDSET, HistoryAdmin, PublishableAdmin
from cooperation.admin.conflicts import VersionedInlineMixin
from cooperation.admin.widgets import AutocompleteKeysMixin


class ParticipationInline(VersionedInlineMixin, AutocompleteKeysMixin, admin.StackedInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["actor", "sources"]
    fields = [("actor", "role", "confidence"), "contribution", "sources", "locators"]


class MechanismUseInline(VersionedInlineMixin, AutocompleteKeysMixin, admin.StackedInline):
    model = MechanismUse
    extra = 0
    autocomplete_fields = ["mechanism", "sources"]
    fields = [("mechanism", "confidence"), "description", "sources", "locators"]


class ChallengeEncounterInline(VersionedInlineMixin, AutocompleteKeysMixin, admin.StackedInline):
    model = ChallengeEncounter
    extra = 0
    autocomplete_fields = ["challenge", "sources"]
    fields = [("challenge", "confidence"), "manifestation", "response", "sources", "locators"]


@admin.register(CaseStudy)
class CaseStudyAdmin(PublishableAdmin):
    list_display = [
        "title",
        "start_date",
        "end_date",
        "outcome",
        "featured",
        "status",
        "updated_at",
    ]
    list_filter = ["status", "outcome", "featured", "regions"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["regions", "countries", "sources"]
    date_hierarchy = "start_date"
    inlines = [ParticipationInline, MechanismUseInline, ChallengeEncounterInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "featured"]}),
        (
            "When and where",
            {
                "fields": [
                    ("start_date", "start_precision", "start_latest"),
                    ("end_date", "end_precision", "end_latest"),
                    "regions",
                    "countries",
                ]
            },
        ),
        ("Text", {"fields": ["summary", "body"]}),
        (
            "Outcome and checking",
            {
                "fields": [
                    ("outcome", "outcome_as_of"),
                    "outcome_assessment",
                    "lessons",
                    "disagreements",
                    "reviewed_on",
                ]
            },
        ),
        ("Sources", {"fields": ["sources"]}),
        RECORD_FIELDSET,
    ]


class CaseStudyLinkAdmin(HistoryAdmin):
    """The links also have their own lists, for editors who review claims across case studies."""

    list_filter = ["confidence"]


@admin.register(Participation)
class ParticipationAdmin(CaseStudyLinkAdmin):
    list_display = ["case_study", "actor", "role", "confidence"]
    list_filter = ["role", "confidence"]
    list_select_related = ["case_study", "actor"]
    search_fields = ["case_study__title", "actor__name", "actor__short_name"]
    autocomplete_fields = ["case_study", "actor", "sources"]


@admin.register(MechanismUse)
class MechanismUseAdmin(CaseStudyLinkAdmin):
    list_display = ["case_study", "mechanism", "confidence"]
    list_select_related = ["case_study", "mechanism"]
    search_fields = ["case_study__title", "mechanism__name"]
    autocomplete_fields = ["case_study", "mechanism", "sources"]


@admin.register(ChallengeEncounter)
class ChallengeEncounterAdmin(CaseStudyLinkAdmin):
    list_display = ["case_study", "challenge", "confidence"]
    list_select_related = ["case_study", "challenge"]
    search_fields = ["case_study__title", "challenge__name"]
    autocomplete_fields = ["case_study", "challenge", "sources"]
