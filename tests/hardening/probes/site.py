"""Probes of the public site's pages."""

from django.urls import reverse

from cooperation.models import (
    publishable_models,
)
from tests.hardening.probes.roles import (
    STAFF,
    Probe,
    same,
)


def site_probes():
    """The public site: published pages for everyone, unpublished ones for those who may edit
    them (previews), 404 for the public, and 405 for methods a page does not take."""
    ok, preview = same(200), {"anonymous": 404, **dict.fromkeys(STAFF, 200)}
    probes = [
        Probe("GET", reverse(name), ok)
        for name in [
            "home",
            "codebook",
            "region-list",
            "era-list",
            "casestudies:list",
            "casestudies:export-csv",
            "casestudies:export-json",
            "casestudies:timeline",
            "casestudies:network",
            "casestudies:statistics",
            "casestudies:map",
            "casestudy-feed",
            "topic-feed",
            "sitemap",
            "robots",
            "cooperation:actor-list",
            "cooperation:mechanism-list",
            "cooperation:challenge-list",
            "cooperation:topic-list",
        ]
    ]
    probes += [
        Probe("GET", "/search/?q=isaf", ok),
        Probe("GET", "/case-studies/compare/?c=isaf&c=sahel", ok),
        Probe("GET", reverse("casestudies:facet", args=["actor"]), ok),
        Probe("GET", reverse("casestudies:timeline-csv", args=["case-studies"]), ok),
        Probe("GET", reverse("casestudies:network-csv", args=["actors"]), ok),
        Probe("GET", reverse("casestudies:statistics-csv", args=["matrix"]), ok),
        Probe("GET", reverse("casestudies:map-csv", args=["countries"]), ok),
        Probe("GET", reverse("region-detail", args=["europe"]), ok),
        Probe("GET", reverse("era-detail", args=["post-9-11"]), ok),
        Probe("GET", reverse("cooperation:source-detail", args=["isaf-report"]), ok),
        Probe("GET", reverse("casestudies:cite", args=["isaf", "bib"]), ok),
        Probe(
            "GET", reverse("casestudies:cite", args=["draftleak-draft-casestudy", "ris"]), preview
        ),
        Probe("GET", reverse("region-detail", args=["atlantis"]), same(404)),
    ]
    for model in publishable_models():
        entry = model._default_manager.published().order_by("pk").first()
        probes.append(Probe("GET", entry.get_absolute_url(), ok))
        hidden = model._default_manager.get(slug=f"draftleak-draft-{model._meta.model_name}")
        probes.append(Probe("GET", hidden.get_absolute_url(), preview))
    # A page takes GET (and HEAD) only.
    for path in ["/", "/search/?q=isaf", "/case-studies/", "/case-studies/isaf/", "/actors/nato/"]:
        probes.append(Probe("POST", path, same(405), body={}))
    return probes
