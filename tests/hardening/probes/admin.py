"""Probes of the admin: every registered model's pages and actions, and the admin site's own."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.authtoken.models import TokenProxy

from cooperation.editorial.history import record_version
from cooperation.models import (
    Actor,
    Membership,
    PublishableModel,
    Release,
    Status,
)
from tests.hardening.probes.roles import (
    CONTENT,
    EDITOR_RIGHTS,
    ROLES,
    STAFF,
    Probe,
    rights,
    same,
    staff,
)


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
