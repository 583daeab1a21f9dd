"""The public record of change: what each entry's page lists as its changes, the 410 page of a
withdrawn entry, and the changelog of every publication, published change and withdrawal
(`/changes/` and its Atom feed). It names no editor: a change says when, what kind of change,
and the editor's change note (docs/security.md)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.views.generic import TemplateView

from cooperation import references
from cooperation.models import EntryVersion, ReleaseRecord, Withdrawal

PUBLIC_CHANGES_SHOWN = 10
CHANGELOG_PAGE_SIZE = 50
FEED_LENGTH = 50


def frozen_release(request):
    """The release a page is answered from (cooperation.releases.views.FrozenRecordView)."""
    return getattr(request, "frozen_release", None)


def public_changes_of(entry):
    """The entry's latest public changes, newest first (date, kind, note)."""
    versions = EntryVersion.objects.of(entry).filter(public=True)
    return list(versions.only("saved_at", "status", "actions", "note")[:PUBLIC_CHANGES_SHOWN])


def last_release_holding(model, pk):
    held = (
        ReleaseRecord.objects.filter(model=model._meta.label_lower, object_id=pk)
        .select_related("release")
        .only("release__version", "release__cut_at")
        .order_by("-release__cut_at", "-release_id")
        .first()
    )
    return held.release if held is not None else None


def withdrawn_page(request, model, slug):
    """The 410 page of the withdrawn entry of `model` with `slug`, or None if there is none."""
    withdrawal = Withdrawal.objects.active().of_model(model).filter(slug=slug).first()
    if withdrawal is None:
        return None
    release = last_release_holding(model, withdrawal.object_id)
    context = {
        "withdrawal": withdrawal,
        "kind": model._meta.verbose_name,
        "release": release,
        "frozen_url": (
            f"/releases/{release.version}{request.path}" if release is not None else None
        ),
    }
    return TemplateResponse(request, "releases/withdrawn.html", context, status=410)


def kind_keys():
    """{key: model} of the kinds of entry the changelog can be narrowed to."""
    return {kind.key: kind.model for kind in references.kinds()}


class ChangelogView(TemplateView):
    """Every publication, published change and withdrawal, newest first; `?kind=` narrows it to
    one kind of entry."""

    template_name = "releases/changelog.html"
    query_parameters = ("kind", "page")

    def versions(self):
        versions = EntryVersion.objects.filter(public=True).select_related("content_type")
        kind = kind_keys().get(self.request.GET.get("kind", ""))
        if kind is not None:
            versions = versions.filter(content_type=ContentType.objects.get_for_model(kind))
        return versions.only(
            "saved_at", "status", "actions", "note", "label", "slug", "content_type"
        ).order_by("-saved_at", "-pk")

    def get_context_data(self, **kwargs):
        page = Paginator(self.versions(), CHANGELOG_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        chosen = self.request.GET.get("kind", "")
        return super().get_context_data(
            page_obj=page,
            is_paginated=page.has_other_pages(),
            items=[changelog_item(version) for version in page],
            kinds=[(key, model._meta.verbose_name_plural) for key, model in kind_keys().items()],
            chosen_kind=chosen if chosen in kind_keys() else "",
            **kwargs,
        )


def changelog_item(version):
    model = version.content_type.model_class()
    url = model(slug=version.slug).get_absolute_url() if version.slug else None
    return {
        "when": version.saved_at,
        "kind": model._meta.verbose_name,
        "name": version.label,
        "url": url,
        "what": version.public_kind,
        "note": version.note,
        "version": version,
    }


class ChangelogAtom(Atom1Feed):
    def latest_post_date(self):
        # An empty changelog is as old as the epoch, not "now": the same feed, byte for byte,
        # until something changes (Django's default would differ on every request).
        if not self.items:
            return datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
        return super().latest_post_date()


class ChangelogFeed(Feed):
    """The changelog as Atom: the latest publications, published changes and withdrawals."""

    feed_type = ChangelogAtom
    title = "Counterterrorism Cooperation Atlas: changes"
    subtitle = "Every publication, published change and withdrawal, newest first."
    link = reverse_lazy("changes")
    query_parameters = ("kind",)

    def get_object(self, request, *args, **kwargs):
        return kind_keys().get(request.GET.get("kind", ""))

    def items(self, kind):
        versions = EntryVersion.objects.filter(public=True).select_related("content_type")
        if kind is not None:
            versions = versions.filter(content_type=ContentType.objects.get_for_model(kind))
        return [changelog_item(v) for v in versions.order_by("-saved_at", "-pk")[:FEED_LENGTH]]

    def item_title(self, item):
        return f"{item['what']}: {item['kind']} “{item['name']}”"

    def item_description(self, item):
        # Sent as type="html": the note is escaped into paragraphs, never run as markup.
        return linebreaks(item["note"] or item["what"], autoescape=True)

    def item_link(self, item):
        return item["url"] or reverse("changes")

    def item_guid(self, item):
        return f"atlas-change-{item['version'].pk}"

    def item_pubdate(self, item):
        return item["when"]
