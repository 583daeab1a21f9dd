"""Access control, walked exhaustively: every route of the URLconf, requested as the public, an
editor, a reviewer and an administrator, with the exact status each must get; and every public
page, export, feed and API answer checked for any trace of an unpublished entry.

The matrix is built from the URL resolver and the admin and API registries, and a test fails when
a route exists that no probe requests, so a new page cannot escape it. What each role may do is
stated here (POLICY), independently of the data migration that grants it."""

import difflib
import json
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, resolve, reverse
from rest_framework.authtoken.models import TokenProxy

from casestudies.facets import FACET_NAMES
from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.editorial.history import record_version, recording
from cooperation.exchange.exporting import exported_models
from cooperation.models import (
    Actor,
    EntryVersion,
    Membership,
    PublishableModel,
    Release,
    Status,
    publishable_models,
)
from cooperation.project.api_urls import router
from cooperation.releases.snapshot import cut_release
from tests.factories import (
    ActorFactory,
)
from tests.support.world import (
    API_CHANGE,
    API_CREATE,
    HIDDEN_STATUSES,
    LINK_BASENAMES,
    add_hidden,
    build_published,
    replacement,
    staff_member,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "editor", "reviewer", "admin")
STAFF = ROLES[1:]
MARKER = "draftleak"  # in every text field and slug of every unpublished entry

# What the Editors and Reviewers groups may do, model by model. Nobody but a superuser deletes
# content or reference data (it is archived instead); links may be deleted, since removing one
# is an edit of its case study. Reviewers may also publish, send back and archive content.
CONTENT = ["cooperation.actor", "cooperation.mechanism", "cooperation.challenge"]
CONTENT += ["casestudies.casestudy", "cooperation.topic"]
REFERENCE = ["cooperation.source", "cooperation.region", "cooperation.era"]
LINKS = ["cooperation.membership", "casestudies.participation", "casestudies.mechanismuse"]
LINKS += ["casestudies.challengeencounter"]
# The vocabulary (regions, eras) goes public when saved, so only reviewers change it.
VOCABULARY = ["cooperation.region", "cooperation.era"]
EDITOR_RIGHTS = {label: {"view", "add", "change"} for label in CONTENT + REFERENCE}
EDITOR_RIGHTS |= {label: {"view", "add", "change", "delete"} for label in LINKS}
POLICY = {
    "editor": EDITOR_RIGHTS | {label: {"view"} for label in VOCABULARY},
    "reviewer": {
        label: rights | ({"review"} if label in CONTENT else set())
        for label, rights in EDITOR_RIGHTS.items()
    },
}
# Releases: staff read them, reviewers cut them; nobody changes or deletes one.
POLICY["editor"]["cooperation.release"] = {"view"}
POLICY["reviewer"]["cooperation.release"] = {"view", "add"}
# Admins that refuse an action even to a superuser (django-axes' logs are written by sign-ins).
NO_ADD = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def rights(role, label):
    if role == "admin":
        return {"view", "add", "change", "delete", "review"} - (
            {"add"} if label in NO_ADD else set()
        )
    return POLICY.get(role, {}).get(label, set())


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    rates = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


# Probes: one request, the status each role must get ---------------------------------------------


@dataclass(frozen=True)
class Probe:
    method: str
    path: str
    expect: dict  # role -> status
    body: object = None
    auth: str = "session"  # or "token" (API clients; session writes need a CSRF token)
    as_json: bool | None = None  # the body as JSON (default: for token clients) or a form
    csrf_checks: bool = False  # as a browser would be held to them (the test client is not)
    if_match: bool | str = False  # send the ETag the same role reads at `path` (or at this)
    effect: tuple = ()  # (callable, {role: value it must return after the request})
    name: str = field(default="", compare=False)

    @property
    def id(self):
        return self.name or f"{self.method} {self.path}"


def same(status):
    return dict.fromkeys(ROLES, status)


def staff(status, anonymous):
    return {"anonymous": anonymous, **dict.fromkeys(STAFF, status)}


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


# The admin


def admin_object(label, world, *, deletable=False):
    """An entry of each registered model to open in the admin: published content (or, for
    deletion, one nothing protects)."""
    published_slug = {
        "cooperation.actor": "mali" if deletable else "nato",
        "cooperation.mechanism": "liaison" if deletable else "intel",
        "cooperation.challenge": "secrecy" if deletable else "politics",
        "casestudies.casestudy": "sahel" if deletable else "isaf",
        "cooperation.topic": "coalitions",
        "cooperation.source": "spare-source" if deletable else "isaf-report",
        "cooperation.region": "arctic" if deletable else "europe",
        "cooperation.era": "isis",
    }
    others = {
        "auth.user": world.spare_user,
        "auth.group": world.spare_group,
        "authtoken.tokenproxy": TokenProxy.objects.get(user=world.spare_user),
        "axes.accessattempt": world.access_attempt,
        "axes.accesslog": world.access_log,
        "axes.accessfailurelog": world.access_failure_log,
    }
    if label in published_slug:
        model = admin_model(label)
        return model._default_manager.get(slug=published_slug[label])
    if label in others:
        return others[label]
    model = admin_model(label)
    return model._default_manager.filter(**link_to_published(model)).order_by("pk").first()


def link_to_published(model):
    """Links between published entries only (case study and linked record both published)."""
    if model is Membership:
        return {"member__status": Status.PUBLISHED, "organisation__status": Status.PUBLISHED}
    return {
        "case_study__status": Status.PUBLISHED,
        f"{model.linked_field}__status": Status.PUBLISHED,
    }


def admin_model(label):
    return next(model for model in admin.site._registry if model._meta.label_lower == label)


def admin_page(label, needed, allowed=200, refused=403):
    """The statuses of an admin page that needs one of the `needed` rights on `label`: the
    public is sent to sign in."""
    return {
        role: 302
        if role == "anonymous"
        else allowed
        if rights(role, label) & set(needed)
        else refused
        for role in ROLES
    }


def admin_model_probes(world):
    probes = []
    for model, model_admin in admin.site._registry.items():
        if model is Release:
            continue  # release_probes
        opts = model._meta
        label = opts.label_lower
        base = f"admin:{opts.app_label}_{opts.model_name}"
        names = {pattern.name for pattern in model_admin.get_urls() if pattern.name}
        has = {name.removeprefix(f"{opts.app_label}_{opts.model_name}_") for name in names}
        obj = admin_object(label, world)
        doomed = admin_object(label, world, deletable=True)
        entries = [obj]
        if label in CONTENT:
            entries.append(model._default_manager.get(slug=f"draftleak-draft-{opts.model_name}"))
        view = admin_page(label, ["view", "change"])

        probes.append(Probe("GET", reverse(f"{base}_changelist"), view))
        probes.append(Probe("GET", reverse(f"{base}_add"), admin_page(label, ["add"])))
        for entry in entries:
            probes.append(Probe("GET", reverse(f"{base}_change", args=[entry.pk]), view))
            probes.append(Probe("GET", reverse(f"{base}_history", args=[entry.pk]), view))
            # The bare object URL redirects to the change page (or to sign in).
            path = f"/admin/{opts.app_label}/{opts.model_name}/{entry.pk}/"
            probes.append(Probe("GET", path, same(302)))
            if "compare" in has:
                probes.append(Probe("GET", reverse(f"{base}_compare", args=[entry.pk]), view))
            if "simple_history" in has:
                if isinstance(entry, PublishableModel):  # its whole versions, by number
                    version = record_version(
                        model,
                        entry.pk,
                        user=None,
                        note="",
                        actions=["Probed."],
                        baseline=None,
                        created=False,
                    ).number
                else:
                    version = entry.history.order_by("history_id").first().history_id
                path = reverse(f"{base}_simple_history", args=[entry.pk, version])
                probes.append(Probe("GET", path, view))
                # Reverting is a change: it takes the right to change, not just to view.
                probes.append(Probe("POST", path, admin_page(label, ["change"]), body={}))

        path = reverse(f"{base}_delete", args=[doomed.pk])
        if label in CONTENT:
            # A published entry is archived with a reason, never deleted outright: not even a
            # superuser may (cooperation.editorial.withdrawals).
            kept = same(True)
            probes.append(Probe("GET", path, staff(403, 302)))
            probes.append(
                Probe(
                    "POST",
                    path,
                    staff(403, 302),
                    body={"post": "yes"},
                    effect=(exists_check(doomed), kept),
                )
            )
        else:
            probes.append(Probe("GET", path, admin_page(label, ["delete"])))
            deleted = admin_page(label, ["delete"], allowed=True, refused=False)
            probes.append(
                Probe(
                    "POST",
                    path,
                    admin_page(label, ["delete"], allowed=302),
                    body={"post": "yes"},
                    effect=(exists_check(doomed), per_role_not(deleted)),
                )
            )
        if label in EDITOR_RIGHTS:
            # An empty form comes back with its errors (200) to whoever may add or change.
            probes.append(
                Probe("POST", reverse(f"{base}_add"), admin_page(label, ["add"]), body={})
            )
            path = reverse(f"{base}_change", args=[obj.pk])
            probes.append(Probe("POST", path, admin_page(label, ["change"]), body={}))
        if "workflow" in has:
            draft = model._default_manager.get(slug=f"draftleak-draft-{opts.model_name}")
            path = reverse(f"{base}_workflow", args=[draft.pk, "publish"])
            probes.append(Probe("GET", path, admin_page(label, ["review"])))  # the checklist
            # Scheduling: reviewers only; without a time it goes back to the entry, saying so.
            schedule = reverse(f"{base}_schedule", args=[draft.pk, "publish"])
            probes.append(Probe("GET", schedule, staff(403, 302)))
            probes.append(
                Probe("POST", schedule, admin_page(label, ["review"], allowed=302), body={})
            )
            cancel = reverse(f"{base}_cancel_schedule", args=[draft.pk, 1])
            probes.append(Probe("GET", cancel, staff(403, 302)))
            probes.append(
                Probe("POST", cancel, admin_page(label, ["review"], allowed=404), body={})
            )
            # Nobody submitted the draft, so not even a reviewer may publish it
            # (cooperation.editorial.workflow); everyone else is refused anyway.
            published = admin_page(label, ["review"], allowed=Status.DRAFT, refused=Status.DRAFT)
            published["anonymous"] = Status.DRAFT
            probes.append(
                Probe(
                    "POST",
                    path,
                    same(302),  # back to the entry, with a message saying what happened
                    body={},
                    effect=(status_check(model, draft.pk), published),
                )
            )
            path = reverse(f"{base}_workflow", args=[draft.pk, "no-such-step"])
            probes.append(Probe("POST", path, staff(403, 302), body={}))
        if "preview" in has:
            path = reverse(f"{base}_preview")
            probes.append(Probe("GET", path, staff(405, 302)))
            probes.append(
                Probe("POST", path, admin_page(label, ["add", "change"]), body={"body": "x"})
            )
        if label == "auth.user":
            path = reverse("admin:auth_user_password_change", args=[world.spare_user.pk])
            probes.append(Probe("GET", path, admin_page(label, ["change"])))
    return probes


def exists_check(obj):
    # The stored key: a token's admin `pk` is its user's id, not the key it is stored under.
    key = getattr(obj, obj._meta.pk.attname)
    return lambda: type(obj)._default_manager.filter(pk=key).exists()


def status_check(model, pk):
    return lambda: model._default_manager.get(pk=pk).status


def per_role_not(expect):
    """Whether the entry still exists after each role asked to delete it."""
    return {role: not value if role != "anonymous" else True for role, value in expect.items()}


def admin_site_probes(world):
    """The admin's own pages, and ours inside it."""
    content_type = ContentType.objects.get_for_model(Actor)
    draft = Actor.objects.get(slug="draftleak-draft-actor")
    autocomplete = "/admin/autocomplete/?app_label=casestudies&model_name=casestudy"
    probes = [
        Probe("GET", reverse("admin:index"), staff(200, 302)),
        Probe("GET", reverse("admin:login"), staff(302, 200)),  # staff are sent on to the index
        Probe("POST", reverse("admin:login"), same(200), body={"username": "x", "password": "y"}),
        # Signing out takes a POST (a link could sign anyone out).
        Probe("GET", reverse("admin:logout"), staff(405, 302)),
        Probe("POST", reverse("admin:logout"), staff(200, 302), body={}),
        Probe("GET", reverse("admin:password_change"), staff(200, 302)),
        Probe("GET", reverse("admin:password_change_done"), staff(200, 302)),
        Probe("GET", reverse("admin:jsi18n"), staff(200, 302)),
        Probe("GET", f"{autocomplete}&field_name=regions&term=eu", staff(200, 302)),
        Probe("GET", "/admin/autocomplete/", staff(403, 302)),
        Probe("GET", reverse("admin:view_on_site", args=[content_type.pk, draft.pk]), same(302)),
        Probe("GET", "/admin/no-such-page/", staff(404, 302)),
        Probe("GET", reverse("atlas-exchange"), staff(200, 302)),
        Probe(
            "GET",
            reverse("atlas-exchange") + "?format=json&model=cooperation.actor",
            staff(200, 302),
        ),
        Probe("POST", reverse("atlas-exchange"), staff(200, 302), body={}),  # a form error
        Probe(
            "GET",
            reverse("atlas-audit"),
            {"anonymous": 302, "editor": 403, "reviewer": 200, "admin": 200},
        ),
    ]
    app_labels = {model._meta.app_label for model in admin.site._registry}
    for app_label in sorted(app_labels):
        labels = [
            m._meta.label_lower for m in admin.site._registry if m._meta.app_label == app_label
        ]
        # An app's page lists the models the user may see; with none, it does not exist.
        expect = {
            role: 200 if any(rights(role, label) for label in labels) else 404 for role in STAFF
        }
        expect["anonymous"] = 302
        probes.append(Probe("GET", reverse("admin:app_list", args=[app_label]), expect))
    return probes


# The API


def api_detail(basename, obj):
    lookup = obj.pk if basename in LINK_BASENAMES else obj.slug
    return reverse(f"api:{basename}-detail", args=[lookup])


def api_write(label, code, right):
    """Writes: the public must sign in (401); the others need the matching right (else 403)."""
    return {
        role: 401 if role == "anonymous" else code if right in rights(role, label) else 403
        for role in ROLES
    }


# Claims are revised with the entry they belong to (cooperation.editorial.revisions).
CLAIM_OWNERS = {
    "cooperation.membership": "cooperation.actor",
    "casestudies.participation": "casestudies.casestudy",
    "casestudies.mechanismuse": "casestudies.casestudy",
    "casestudies.challengeencounter": "casestudies.casestudy",
}
PUBLISHABLE = {model._meta.label_lower for model in publishable_models()}


def reviewed_write(label, code, right, *, creates=False):
    """A write to a published entry or to a claim of one: who may make it but not publish the
    entry gets 202, the change waiting for review. A new entry is a draft (`creates`)."""
    owner = CLAIM_OWNERS.get(label, None if creates or label not in PUBLISHABLE else label)
    expected = api_write(label, code, right)
    if owner is None:
        return expected
    return {
        role: 202 if status == code and "review" not in rights(role, owner) else status
        for role, status in expected.items()
    }


def api_probes(world):
    token = {"auth": "token"}
    probes = []
    for _, viewset, basename in router.registry:
        if getattr(viewset, "model", None) is None:
            continue  # the record of change (releases, withdrawals): release_probes
        label = viewset.model._meta.label_lower
        list_path = reverse(f"api:{basename}-list")
        obj = admin_object(label, world)
        detail = api_detail(basename, obj)
        doomed = api_detail(basename, admin_object(label, world, deletable=True))
        change = API_CHANGE[basename]
        probes += [
            Probe("GET", list_path, same(200), **token),
            Probe("GET", list_path + "?format=csv", same(200), **token),
            Probe("GET", list_path.removesuffix("/") + ".csv", same(200), **token),
            Probe("GET", detail, same(200), **token),
            Probe("GET", detail.removesuffix("/") + ".json", same(200), **token),
            Probe(
                "POST",
                list_path,
                reviewed_write(label, 201, "add", creates=True),
                body=API_CREATE[basename],
                **token,
            ),
            Probe("PUT", list_path, api_write(label, 405, "change"), body={}, **token),
            Probe("DELETE", list_path, api_write(label, 405, "delete"), **token),
            Probe("POST", detail, api_write(label, 405, "add"), body={}, **token),
            Probe(
                "PATCH",
                detail,
                reviewed_write(label, 200, "change"),
                body=change,
                if_match=True,
                **token,
            ),
            # Without If-Match, an update could overwrite a change it never saw.
            Probe("PATCH", detail, api_write(label, 428, "change"), body=change, **token),
            Probe(
                "PUT",
                detail,
                reviewed_write(label, 200, "change"),
                body=replacement(basename, obj),
                if_match=True,
                **token,
            ),
            Probe(
                "DELETE",
                doomed,
                # A published entry is archived, not deleted: 409 says so to who may delete.
                {
                    role: 409 if status == 204 and label in CONTENT else status
                    for role, status in reviewed_write(label, 204, "delete").items()
                },
                if_match=True,
                **token,
            ),
        ]
        if hasattr(viewset, "submit"):  # the workflow's steps, on a published entry
            for suffix in ("/", ".json"):
                probes += [
                    Probe(
                        "POST",
                        f"{detail}submit{suffix}",
                        api_write(label, 409, "change"),  # it is published already
                        body={},
                        if_match=detail,
                        **token,
                    ),
                    Probe(
                        "POST",
                        f"{detail}publish{suffix}",
                        api_write(label, 409, "review"),
                        body={},
                        if_match=detail,
                        **token,
                    ),
                    Probe("POST", f"{detail}send-back{suffix}", staff(428, 401), **token),
                    Probe("POST", f"{detail}archive{suffix}", staff(428, 401), **token),
                    Probe("POST", f"{detail}discard-changes{suffix}", staff(428, 401), **token),
                ]
        hidden = hidden_api_entry(viewset.model)
        if hidden is not None:
            preview = {"anonymous": 404, **dict.fromkeys(STAFF, 200)}
            probes.append(Probe("GET", api_detail(basename, hidden), preview, **token))
    nato = api_detail("actor", Actor.objects.get(slug="nato"))
    probes += [
        Probe(
            "DELETE",
            nato,
            {"anonymous": 401, "editor": 403, "reviewer": 403, "admin": 409},
            if_match=True,
            name=f"DELETE {nato} (other records refer to it)",
            **token,
        ),
        # A session (the browsable API) must send its CSRF token to write.
        Probe(
            "POST",
            "/api/v1/regions/",
            staff(403, 401),
            body=API_CREATE["region"],
            as_json=True,
            csrf_checks=True,
            name="POST /api/v1/regions/ with a session and no CSRF token",
        ),
        Probe("GET", reverse("api:api-root"), same(200), **token),
        Probe("GET", "/api/v1/.json", same(200), **token),
        Probe("GET", reverse("api:schema"), same(200), **token),
        Probe("GET", reverse("api:docs"), same(200), **token),
        Probe("GET", reverse("api:token"), same(405), **token),
        Probe("POST", reverse("api:token"), same(400), body={"username": "eddie"}, **token),
        Probe("GET", "/api/v1/no-such-resource/", same(404), **token),
        Probe("POST", "/api/v1/no-such-resource/", same(404), body={}, **token),
    ]
    for pattern in walk(get_resolver().url_patterns):
        if pattern.name and pattern.name.startswith("api:stats-"):
            probes.append(Probe("GET", reverse(pattern.name), same(200), **token))
            probes.append(Probe("POST", reverse(pattern.name), same(405), body={}, **token))
    return probes


def hidden_api_entry(model):
    """An unpublished entry, or a link to one (the public must not find either)."""
    if model in publishable_models():
        return model._default_manager.get(slug=f"draftleak-draft-{model._meta.model_name}")
    if model is Membership:
        return Membership.objects.filter(member__slug="draftleak-draft-actor").first()
    if model in (Participation, MechanismUse, ChallengeEncounter):
        field_name = model.linked_field
        return model.objects.get(**{f"{field_name}__slug": f"draftleak-draft-{field_name}"})
    return None


def release_probes(world):
    """Releases, the changelog and citations: public reads; cutting a release in the admin."""
    ok, token = same(200), {"auth": "token"}
    probes = [
        Probe("GET", path, ok)
        for path in [
            "/releases/",
            "/releases/2027.1/",
            "/releases/2027.1/changes/",
            "/releases/2027.1/download.json",
            "/releases/2027.1/cite.bib",
            "/releases/2027.1/case-studies/isaf/",
            "/changes/",
            "/feeds/changes/",
            "/cite/actor/nato.bib",
        ]
    ]
    probes += [
        Probe("GET", "/releases/2099.1/", same(404)),
        Probe("GET", "/releases/2027.1/case-studies/draftleak-draft-casestudy/", same(404)),
        Probe("GET", "/cite/case-study/draftleak-draft-casestudy.ris", staff(200, 404)),
        Probe("POST", "/releases/", same(405), body={}),
        Probe("GET", "/api/v1/releases/", ok, **token),
        Probe("GET", "/api/v1/releases.json", ok, **token),
        Probe("GET", "/api/v1/releases/2027.1/", ok, **token),
        Probe("GET", "/api/v1/releases/2027.1.json", ok, **token),
        Probe("POST", "/api/v1/releases/", same(405), body={}, **token),
        Probe("DELETE", "/api/v1/releases/2027.1/", same(405), **token),
        Probe("GET", "/api/v1/withdrawals/", ok, **token),
        Probe("GET", "/api/v1/withdrawals.json", ok, **token),
        Probe("POST", "/api/v1/withdrawals/", same(405), body={}, **token),
    ]
    label, release = "cooperation.release", Release.objects.get(version="2027.1")
    view = admin_page(label, ["view"])
    probes += [
        Probe("GET", reverse("admin:cooperation_release_changelist"), view),
        Probe("GET", reverse("admin:cooperation_release_add"), admin_page(label, ["add"])),
        Probe("GET", reverse("admin:cooperation_release_change", args=[release.pk]), view),
        Probe("GET", reverse("admin:cooperation_release_history", args=[release.pk]), view),
        Probe("GET", f"/admin/cooperation/release/{release.pk}/", same(302)),
        Probe(
            "GET",
            reverse("admin:cooperation_release_delete", args=[release.pk]),
            staff(403, 302),
        ),
    ]
    return probes


def all_probes(world):
    return (
        site_probes()
        + admin_site_probes(world)
        + admin_model_probes(world)
        + api_probes(world)
        + release_probes(world)
    )


# Running a probe


def client_for(world, role, probe):
    """A client signed in as `role` with a token or a session, whichever the probe uses."""
    options = {"raise_request_exception": False, "enforce_csrf_checks": probe.csrf_checks}
    if probe.auth == "token":
        token = world.tokens.get(role)
        return Client(**options, **({"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}))
    client = Client(**options)
    if role in world.cookies:
        client.cookies = SimpleCookie(world.cookies[role])
    return client


def perform(probe, role, world):
    """The status `role` gets, and the probe's effect, in a savepoint rolled back afterwards so
    that every role meets the same data."""
    client = client_for(world, role, probe)
    headers = {}
    if probe.if_match:
        read_at = probe.if_match if isinstance(probe.if_match, str) else probe.path
        headers["HTTP_IF_MATCH"] = client.get(read_at).headers.get("ETag") or '"none"'
    if probe.body is None:
        kwargs = {}
    elif probe.as_json or (probe.as_json is None and probe.auth == "token"):
        kwargs = {"data": json.dumps(probe.body), "content_type": "application/json"}
    else:
        kwargs = {"data": probe.body}
    with transaction.atomic():
        response = getattr(client, probe.method.lower())(probe.path, **kwargs, **headers)
        effect = probe.effect[0]() if probe.effect else None
        transaction.set_rollback(True)
    return response, effect


def walk(patterns, prefix="", namespace=""):
    """Every URL pattern, with its full route (as ResolverMatch.route spells it) and name."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern).removeprefix("^") if prefix else str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from walk(pattern.url_patterns, route, inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield SimpleNamespace(route=route, name=name)


def route_of(path):
    return resolve(path.split("?")[0]).route


# The tests --------------------------------------------------------------------------------------


def probe_ids(world):
    probes = all_probes(world)
    ids = {}
    for probe in probes:
        key = probe.id
        while key in ids:
            key += "'"
        ids[key] = probe
    return ids


@pytest.fixture(scope="class")
def probes(world):
    return probe_ids(world)


class TestEveryRoute:
    def test_every_route_is_in_the_matrix(self, probes):
        """A route no probe requests fails here: give it its expected statuses per role."""
        covered = {route_of(probe.path) for probe in probes.values()}
        routes = {pattern.route for pattern in walk(get_resolver().url_patterns)}
        assert sorted(routes - covered) == []

    def test_every_probe_states_every_role(self, probes):
        assert [key for key, probe in probes.items() if set(probe.expect) != set(ROLES)] == []

    @pytest.mark.slow
    @pytest.mark.parametrize("role", ROLES)
    def test_answers_each_role_with_the_exact_status(self, world, probes, role):
        wrong = []
        for key, probe in probes.items():
            response, effect = perform(probe, role, world)
            if response.status_code != probe.expect[role]:
                wrong.append(f"{key}: {response.status_code}, expected {probe.expect[role]}")
            elif probe.effect and effect != probe.effect[1][role]:
                wrong.append(f"{key}: left {effect!r}, expected {probe.effect[1][role]!r}")
        assert not wrong, "\n".join(["", *wrong])


# Leaks: nothing unpublished reaches the public ---------------------------------------------------

HIDDEN_KINDS = ("actor", "mechanism", "challenge", "casestudy", "topic")
CHART_CSVS = [
    ("casestudies:timeline-csv", "case-studies"),
    ("casestudies:network-csv", "actors"),
    ("casestudies:network-csv", "links"),
    *(
        ("casestudies:statistics-csv", chart)
        for chart in ["eras", "regions", "mechanisms", "matrix", "outcomes-by-mechanism"]
    ),
    ("casestudies:map-csv", "countries"),
]
# The same lists narrowed by filters, facets counted over them, searched and sorted.
QUERIES = [
    "region=europe",
    "era=post-9-11",
    "outcome=mixed",
    "mechanism=intel",
    "challenge=politics",
    "actor=nato",
    "actor=canada",
    "actor_kind=state",
    "year_from=2004&year_to=2006",
    "q=isaf",
    "q=draftleak",
    "ordering=-updated",
    "status=draft",
]


# A release cut before the unpublished entries came, as the public reads it.
RELEASE_URLS = [
    "/releases/2027.1/",
    "/releases/2027.1/changes/",
    "/releases/2027.1/case-studies/isaf/",
    "/api/v1/releases/2027.1/",
    "/api/v1/case-studies/?release=2027.1&page_size=100",
    "/api/v1/actors/?release=2027.1&page_size=100",
]


def public_urls():
    """What the public can reach without naming an unpublished entry: every page without
    parameters (from the URLconf), every published record's page, its citations, the chart
    CSVs, the filtered lists, searches and exports, and the API's lists and statistics."""
    urls = []
    for pattern in walk(get_resolver().url_patterns):
        if pattern.name and pattern.name != "api:token":  # sign-in takes a POST
            try:
                path = reverse(pattern.name)
            except NoReverseMatch:
                continue  # takes parameters: below
            if not path.startswith("/admin/"):
                urls.append(path)
    urls += [reverse(name, args=[chart]) for name, chart in CHART_CSVS]
    for model in exported_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        records = model._default_manager.all()
        if model in publishable_models():
            records = records.published()
        urls += [record.get_absolute_url() for record in records]
    for case in CaseStudy.objects.published():
        urls += [reverse("casestudies:cite", args=[case.slug, form]) for form in ("bib", "ris")]
    lists = [reverse(name) for name in ["casestudies:list", "casestudies:export-csv"]]
    lists += [
        reverse(f"casestudies:{name}") for name in ["timeline", "network", "statistics", "map"]
    ]
    lists += ["/api/v1/case-studies/", "/api/v1/stats/network/", "/api/v1/stats/mechanisms/"]
    urls += [f"{path}?{query}" for path in lists for query in QUERIES]
    urls += [f"/search/?q={words}" for words in ["isaf", "nato", "intel", "politics", "draftleak"]]
    urls += ["/case-studies/compare/?c=isaf&c=sahel"]
    facets = [reverse("casestudies:facet", args=[name]) for name in FACET_NAMES]
    urls += [f"{path}?{query}" for path in facets for query in ["", *QUERIES]]
    for _, viewset, basename in router.registry:
        path = reverse(f"api:{basename}-list")
        urls += [path + "?page_size=100", path + "?search=draftleak"]
        if getattr(viewset, "csv_fields", None):
            urls.append(path + "?format=csv")
    return list(dict.fromkeys(urls))


def api_detail_urls(client):
    """Every entry of every API list (as the public reads them): their detail URLs."""
    urls = []
    for _, _, basename in router.registry:
        response = client.get(reverse(f"api:{basename}-list") + "?page_size=100")
        urls += [urlsplit(item["url"]).path for item in response.json()["results"]]
    return urls


def probing_urls():
    """Requests that name an unpublished entry, as someone guessing or holding an old link
    would: each must get the same answer it got before the entry existed."""
    urls = []
    for status in HIDDEN_STATUSES:
        for model in publishable_models():
            slug = f"draftleak-{status}-{model._meta.model_name}"
            urls.append(model(slug=slug).get_absolute_url())
            urls.append(reverse(f"api:{model._meta.model_name}-detail", args=[slug]))
        urls.append(f"/case-studies/draftleak-{status}-casestudy/cite.ris")
        urls.append(f"/case-studies/compare/?c=isaf&c=draftleak-{status}-casestudy")
        for name in ("actor", "mechanism", "challenge"):
            urls.append(f"/case-studies/?{name}=draftleak-{status}-{name}")
            urls.append(f"/api/v1/case-studies/?{name}=draftleak-{status}-{name}")
    return urls


def read(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return response.status_code, body.decode("utf-8", "replace"), headers


def leaks(answers):
    """The URLs whose answer shows the marker; a request that names it (a search for it) may
    echo it, and is held to answering as it did before anything unpublished existed."""
    return sorted(
        url
        for url, (_, body, headers) in answers.items()
        if MARKER in (body + headers).lower() and MARKER not in url
    )


def changes(before, after):
    """The URLs whose status or body changed, each with the first lines that differ."""
    found = []
    for url, (status, body, _) in after.items():
        if (status, body) != before[url][:2]:
            diff = difflib.unified_diff(before[url][1].splitlines(), body.splitlines(), n=0)
            found.append(f"{url} ({before[url][0]} -> {status}): " + " | ".join(list(diff)[2:6]))
    return found


@pytest.mark.slow
def test_unpublished_entries_leave_no_trace_for_the_public(empty_database):
    """Every page, list, count, facet, search, export, feed, sitemap, chart and API answer the
    public gets is the same, byte for byte, before and after unpublished entries in every state
    are added and tied to the published ones; and none shows an unpublished entry's text, slug
    or URL (every one of which carries the marker)."""
    build_published()
    cut_release("2027.1", notes="Before the unpublished entries came.")
    public = Client(raise_request_exception=False)
    urls = public_urls() + api_detail_urls(public) + RELEASE_URLS
    probes = probing_urls()
    before = {url: read(public, url) for url in urls + probes}
    assert leaks({url: before[url] for url in urls}) == []
    assert [url for url in urls if before[url][0] != 200] == []

    for status in HIDDEN_STATUSES:
        add_hidden(status)
    cache.clear()  # read afresh (the content version also moved on)
    after = {url: read(public, url) for url in urls + probes}
    assert leaks({url: after[url] for url in urls}) == []
    assert changes(before, after) == []


def test_editors_do_see_the_unpublished_entries(empty_database, django_user_model):
    """The other side of the leak test: the marker is found where it may be, so its absence
    from the public's pages means something."""
    build_published()
    for status in HIDDEN_STATUSES:
        add_hidden(status)
    expected = {f"draftleak-{status}-{kind}" for status in HIDDEN_STATUSES for kind in HIDDEN_KINDS}
    editor = Client()
    editor.force_login(staff_member("eddie", "Editors"))
    for url in ["/search/?q=draftleak", "/case-studies/", "/topics/", "/api/v1/case-studies/"]:
        seen = set(re.findall(r"draftleak-[a-z_]+-[a-z]+", read(editor, url)[1].lower()))
        expected -= seen
    assert expected == set()


def test_every_publishable_kind_has_unpublished_entries_in_the_leak_test(empty_database):
    """A new kind of content must join the leak test with entries in every hidden state."""
    build_published()
    for status in HIDDEN_STATUSES:
        add_hidden(status)
    for model in publishable_models():
        statuses = set(
            model._default_manager.exclude(status=Status.PUBLISHED).values_list("status", flat=True)
        )
        assert statuses == set(HIDDEN_STATUSES), model
        assert model._default_manager.published().exists(), model


# Reverting in the admin is an edit, not a way around the workflow ------------------------------


def versions(entry):
    return EntryVersion.objects.of(entry).order_by("number")


def test_reverting_to_a_published_version_does_not_publish(client, empty_database):
    """An editor, who may not publish, reverts an archived actor to the version it had when it
    was published: its text comes back, its status and slug stay as they are."""
    from cooperation.editorial.workflow import transition

    reviewer = staff_member("rita", "Reviewers")
    actor = ActorFactory(status=Status.IN_REVIEW, slug="nato", summary="As published.")
    transition(actor, "publish", user=reviewer)
    actor = Actor.objects.get(pk=actor.pk)
    with recording(user=reviewer):
        actor.summary = "Edited later."
        actor.slug = "renamed"
        actor.save()
    transition(actor, "archive", user=reviewer, comment="Superseded.")
    published = versions(actor).get(status=Status.PUBLISHED, actions="Published.")

    client.force_login(staff_member("eddie", "Editors"))
    path = reverse("admin:cooperation_actor_simple_history", args=[actor.pk, published.number])
    expected = client.get(path).context["form"].initial["expected_version"]
    response = client.post(path, {"expected_version": expected})
    assert response.status_code == 302
    actor = Actor.objects.get(pk=actor.pk)
    assert (actor.summary, actor.status, actor.slug) == (
        "As published.",
        Status.ARCHIVED,
        "renamed",
    )


def test_whoever_may_only_view_cannot_revert(client, empty_database, django_user_model):
    actor = ActorFactory(status=Status.DRAFT, summary="First.")
    with recording(user=None):
        actor.summary = "Second."
        actor.save()
    first = versions(actor).first()
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_actor"))
    client.force_login(viewer)
    path = reverse("admin:cooperation_actor_simple_history", args=[actor.pk, first.number])
    assert client.get(path).status_code == 200
    assert client.post(path, {"expected_version": actor.version}).status_code == 403
    assert Actor.objects.get(pk=actor.pk).summary == "Second."
