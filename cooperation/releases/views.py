"""The public pages of releases: every release, one release (notes, downloads, citation,
changes), its changes record by record, its downloads, each record as it stood in it (the record's
own page, answered from the release), and citation files for records and releases."""

from django.apps import apps
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView

from cooperation import references
from cooperation.editorial.diffs import Names, field_changes
from cooperation.models import Release, is_visible_to
from cooperation.releases.citation import LICENCE, Citation
from cooperation.releases.frozen import pinned
from cooperation.releases.package import download_path, ensure_download, sha256_of
from cooperation.rendering import render_markdown

# The record pages a release answers for: each kind's detail page.
FROZEN_PAGES = {
    "cooperation:actor-detail",
    "cooperation:mechanism-detail",
    "cooperation:challenge-detail",
    "cooperation:topic-detail",
    "casestudies:detail",
}

CHANGES_SHOWN = 500  # records per kind on the changes page; the downloads hold them all


def kind_label(label, count=2):
    model = apps.get_model(label)
    return str(model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural)


def site_url(request):
    return request.build_absolute_uri("/").rstrip("/")


class ReleaseListView(ListView):
    model = Release
    template_name = "releases/release_list.html"
    query_parameters = ()

    def get_queryset(self):
        return Release.objects.defer("notes", "changes").order_by("-cut_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            {
                "release": release,
                "counts": [(kind_label(label), count) for label, count in release.counts.items()],
            }
            for release in context["object_list"]
        ]
        return context


class ReleaseMixin:
    def get_object(self, queryset=None):
        return get_object_or_404(Release, version=self.kwargs["version"])


class ReleaseDetailView(ReleaseMixin, DetailView):
    template_name = "releases/release_detail.html"
    context_object_name = "release"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        release = self.object
        citation = Citation.of_dataset(release, self.request, timezone.localdate())
        downloads = []
        for kind, label in [("zip", "Data package (zip)"), ("json", "Whole release (JSON)")]:
            path = download_path(release, kind)
            built = path.exists()
            downloads.append(
                {
                    "kind": kind,
                    "label": label,
                    "size": path.stat().st_size if built else None,
                    "sha256": sha256_of(path) if built else None,
                }
            )
        summary = [
            {
                "kind": kind_label(label),
                "added": len(change["added"]),
                "changed": len(change["changed"]),
                "withdrawn": len(change["withdrawn"]),
            }
            for label, change in release.changes.items()
        ]
        return super().get_context_data(
            notes=render_markdown(release.notes),
            citation=citation,
            downloads=downloads,
            summary=summary,
            counts=[(kind_label(label), count) for label, count in release.counts.items()],
            licence=LICENCE,
            **kwargs,
        )


class ReleaseChangesView(ReleaseMixin, DetailView):
    """What changed since the previous release, record by record, field by field."""

    template_name = "releases/release_changes.html"
    context_object_name = "release"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        release = self.object
        sections = []
        for label, change in release.changes.items():
            model = apps.get_model(label)
            changed_ids = [pk for pk, _name, _fields in change["changed"][:CHANGES_SHOWN]]
            diffs = self.field_diffs(release, label, model, changed_ids)
            sections.append(
                {
                    "kind": kind_label(label),
                    "added": change["added"][:CHANGES_SHOWN],
                    "withdrawn": change["withdrawn"][:CHANGES_SHOWN],
                    "changed": [
                        {"id": pk, "name": name, "changes": diffs.get(pk, [])}
                        for pk, name, _fields in change["changed"][:CHANGES_SHOWN]
                    ],
                    "more": max(len(value) for value in change.values()) > CHANGES_SHOWN,
                }
            )
        return super().get_context_data(sections=sections, **kwargs)

    def field_diffs(self, release, label, model, ids):
        """{id: [Change]} between the previous release's and this release's records."""
        if release.previous_id is None or not ids:
            return {}
        pairs = {}
        for which, source in (("old", release.previous), ("new", release)):
            rows = source.records.filter(model=label, object_id__in=ids)
            for pk, fields in rows.values_list("object_id", "fields"):
                pairs.setdefault(pk, {})[which] = fields
        contents = [
            [{"model": label, "pk": pk, "fields": pair.get(side, {})} for pk, pair in pairs.items()]
            for side in ("old", "new")
        ]
        names = Names(*contents)
        skip = {"updated_at", "created_at", "published_at"}
        return {
            pk: field_changes(model, pair.get("old", {}), pair.get("new", {}), names, skip=skip)
            for pk, pair in pairs.items()
        }


class ReleaseDownloadView(ReleaseMixin, View):
    query_parameters = ()
    kinds = {
        "zip": ("application/zip", "datapackage.zip"),
        "json": ("application/json", "json"),
    }

    def get(self, request, version, kind):
        if kind not in self.kinds:
            raise Http404
        release = self.get_object()
        path = ensure_download(release, kind, site_url=site_url(request))
        content_type, suffix = self.kinds[kind]
        response = FileResponse(
            open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
            content_type=content_type,
            as_attachment=True,
            filename=f"counterterrorism-cooperation-atlas-{release.version}.{suffix}",
        )
        response["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


class FrozenRecordView(ReleaseMixin, View):
    """A record's page as it stood in a release: its own view, answering from the release."""

    query_parameters = ()

    def get(self, request, version, path):
        release = self.get_object()
        try:
            match = resolve(f"/{path}")
        except Resolver404 as error:
            raise Http404 from error
        if match.view_name not in FROZEN_PAGES:
            raise Http404
        request.frozen_release = release
        with pinned(release):
            response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render"):
                response.render()
        return response


CITATION_FORMATS = {
    "bib": ("bibtex", "application/x-bibtex; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
    "json": ("csl", "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


def citation_response(citation, format_, filename):
    method, content_type = CITATION_FORMATS[format_]
    response = HttpResponse(getattr(citation, method)(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{format_}"'
    return response


class ReleaseCitationView(ReleaseMixin, View):
    query_parameters = ()

    def get(self, request, version, format):
        release = self.get_object()
        citation = Citation.of_dataset(release, request, timezone.localdate())
        return citation_response(citation, format, f"atlas-{release.version}")


class RecordCitationView(View):
    """A record's citation as a file for a reference manager: /cite/<kind>/<slug>.<format>."""

    query_parameters = ()

    def get(self, request, kind, slug, format):
        found = next((each for each in references.kinds() if each.key == kind), None)
        if found is None:
            raise Http404
        record = found.model.objects.filter(slug=slug).first()
        if record is None or not is_visible_to(request.user, record):
            raise Http404
        citation = Citation.of(record, request, timezone.localdate())
        return citation_response(citation, format, record.slug)
