"""Probes of the API: every resource's reads and writes, and the releases'."""

from django.urls import get_resolver, reverse

from casestudies.models import ChallengeEncounter, MechanismUse, Participation
from cooperation.models import (
    Actor,
    Membership,
    Release,
    publishable_models,
)
from cooperation.project.api_urls import router
from tests.hardening.probes.admin import admin_object, admin_page
from tests.hardening.probes.roles import (
    CONTENT,
    ROLES,
    STAFF,
    Probe,
    rights,
    same,
    staff,
)
from tests.hardening.probes.routes import walk
from tests.support.world import (
    API_CHANGE,
    API_CREATE,
    LINK_BASENAMES,
    replacement,
)


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
