"""The admin's forms: add, change and inline forms, autocomplete and list filters."""

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse

from cooperation.models import Actor, Region
from tests.hardening.bad_input.corpus import HOSTILE, XSS, encoded, session, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]


# The admin's forms -----------------------------------------------------------------------------


def admin_form_values(form_field):
    """Form input a field of an admin form must refuse, for its type."""
    from django import forms

    if isinstance(form_field, forms.BooleanField):
        return []  # a checkbox sent with any value is ticked
    values = ["a\x00b"]
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return [["abc"], [str(10**30)], ["999999"], ["-1"]]
    if isinstance(form_field, forms.ModelChoiceField):
        return ["abc", str(10**30), "999999", "-1", "1.5"]
    if isinstance(form_field, forms.IntegerField):
        values += [str(10**30), "1.5", "abc", *(["-1"] if form_field.min_value == 0 else [])]
    elif isinstance(form_field, forms.DateField):
        values += ["2026-02-30", "99999-01-01", "-1-01-01", "yesterday"]
    elif isinstance(form_field, forms.ChoiceField):
        values += ["no-such-choice", XSS]
    elif isinstance(form_field, forms.CharField) and form_field.max_length:
        values.append("x" * (form_field.max_length + 1))
    if isinstance(form_field, forms.SlugField):
        values += ["../../etc/passwd", XSS, "a b", HOSTILE["emoji"]]
    if isinstance(form_field, forms.URLField):
        values += ["javascript:alert(1)", "not a link"]
    return values


def form_errors(response):
    """The errors of the admin form a response shows again, by field."""
    adminform = response.context.get("adminform") if response.context else None
    return adminform.form.errors if adminform is not None else {}


def management_forms(*prefixes):
    return {
        f"{prefix}-{name}": "0" for prefix in prefixes for name in ("TOTAL_FORMS", "INITIAL_FORMS")
    }


ADMIN_FORMS = {
    "actor": (
        {"name": "New", "slug": "new", "kind": "ngo", "summary": "New."},
        ("memberships", "members"),
    ),
    "mechanism": ({"name": "New", "slug": "new", "category": "training", "summary": "N."}, ()),
    "casestudy": (
        {
            "title": "New",
            "slug": "new",
            "summary": "New.",
            "start_date": "2001-01-01",
            "start_precision": "day",
            "end_precision": "day",
            "outcome": "mixed",
        },
        ("participation_set", "mechanismuse_set", "challengeencounter_set"),
    ),
    "source": ({"title": "New", "slug": "new", "publisher": "P", "kind": "news"}, ()),
}


class TestAdminForms:
    @pytest.mark.slow
    @pytest.mark.parametrize("model_name", ADMIN_FORMS)
    def test_add_forms_name_the_field_they_refuse(self, world, model_name):
        model = next(m for m in apps.get_models() if m._meta.model_name == model_name)
        path = reverse(f"admin:{model._meta.app_label}_{model_name}_add")
        client = session(world, "admin")
        data, inlines = ADMIN_FORMS[model_name]
        valid = {**data, **management_forms(*inlines)}
        if model_name == "casestudy":
            valid["regions"] = [Region.objects.get(slug="europe").pk]
        with transaction.atomic():  # the control: the valid form creates the entry
            assert client.post(path, valid).status_code == 302
            assert model._default_manager.filter(slug="new").exists()
            transaction.set_rollback(True)
        fields = client.get(path).context["adminform"].form.fields
        before, wrong = snapshot(), []
        for name, form_field in fields.items():
            if name == "expected_version":
                continue
            for value in admin_form_values(form_field):
                response = client.post(path, {**valid, name: value})
                if response.status_code != 200 or name not in form_errors(response):
                    wrong.append(f"{name}={value!r:.40}: {response.status_code}")
        assert wrong == []
        assert snapshot() == before

    @pytest.mark.slow
    def test_change_forms_too(self, world):
        client = session(world, "admin")
        actor = Actor.objects.get(slug="nato")
        path = reverse("admin:cooperation_actor_change", args=[actor.pk])
        valid = {"name": "NATO", "slug": "nato", "kind": actor.kind, "summary": "Changed."}
        valid |= {"expected_version": actor.version, **management_forms("memberships", "members")}
        before, wrong = snapshot(), []
        for name in ["name", "kind", "founded", "cow_code", "region", "website", "wikidata_qid"]:
            field = client.get(path).context["adminform"].form.fields[name]
            for value in admin_form_values(field):
                response = client.post(path, {**valid, name: value})
                if response.status_code != 200 or name not in form_errors(response):
                    wrong.append(f"{name}={value!r:.40}: {response.status_code}")
        assert wrong == []
        assert snapshot() == before

    def test_inline_forms_name_the_field_they_refuse(self, world):
        """A participant typed in by hand (the autocomplete's value is an id) is an error on
        the participant, not a failure of the page that shows it."""
        client = session(world, "admin")
        data, inlines = ADMIN_FORMS["casestudy"]
        valid = {**data, **management_forms(*inlines)}
        valid |= {"regions": [Region.objects.get(slug="europe").pk]}
        valid |= {"participation_set-TOTAL_FORMS": "1", "participation_set-0-role": "lead"}
        valid |= {"participation_set-0-confidence": "high"}
        path = reverse("admin:casestudies_casestudy_add")
        before, wrong = snapshot(), []
        for name in ["participation_set-0-actor", "participation_set-0-sources"]:
            for value in ["abc", str(10**30), "1.5", "-1", "a\x00b"]:
                response = client.post(path, {**valid, name: value})
                formsets = response.context and response.context.get("inline_admin_formsets")
                errors = [form.errors for formset in formsets or [] for form in formset.formset]
                field = name.rsplit("-", 1)[1]
                if response.status_code != 200 or not any(field in error for error in errors):
                    wrong.append(f"{name}={value!r}: {response.status_code}")
        assert wrong == []
        assert snapshot() == before

    def test_autocomplete_searches_any_text(self, world):
        client = session(world, "admin")
        path = "/admin/autocomplete/?app_label=casestudies&model_name=casestudy"
        wrong = []
        for field_name in ["regions", "countries", "sources"]:
            for label, value, _ in encoded():
                response = client.get(f"{path}&field_name={field_name}&term={value}")
                if response.status_code != 200 or "results" not in response.json():
                    wrong.append(f"{field_name} {label}: {response.status_code}")
        assert wrong == []

    def test_admin_lists_turn_away_filters_the_database_cannot_hold(self, world):
        """A lookup in the query string that the database cannot compare is the admin's
        "incorrect lookup" (a redirect), never a server error."""
        client = session(world, "admin")
        wrong = []
        for path in ["/admin/cooperation/era/", "/admin/casestudies/casestudy/"]:
            for name in ["start_date__year", "start_date__month", "id__exact", "q", "status"]:
                for label, value, _ in encoded():
                    status = client.get(f"{path}?{name}={value}").status_code
                    if status not in (200, 302):
                        wrong.append(f"{path}?{name}= {label}: {status}")
        assert wrong == []
