"""No acknowledged edit is lost: a save made from an older version of an entry or of any of
its links is refused, names who changed what, and writes nothing. Each pair of writers (admin
and admin, admin and API, API and API) races for an entry, its inline links and memberships:
one opens or reads, the other saves, then the first saves what it had."""

import json

import pytest
from django.test import Client

from casestudies.models import CaseStudy, Participation
from cooperation.exchange.exporting import export_records, records_to_json
from cooperation.exchange.importing import import_records
from cooperation.models import Actor, Membership
from tests.support.api import client_for, error_of, make_editor
from tests.support.forms import submitted_fields

pytestmark = pytest.mark.django_db

CASE = "fatf-egmont-terrorist-financing"  # few links: a small change form


@pytest.fixture
def writers(atlas, django_user_model):
    # Reviewers, whose saves of a published entry go live: the races here are for the live
    # entry (changes waiting for review have theirs in tests/cooperation/*/test_revisions.py).
    first = make_editor(django_user_model, "first-editor", publishes=True)
    second = make_editor(django_user_model, "second-editor", publishes=True)
    admin_first, admin_second = Client(), Client()
    admin_first.force_login(first)
    admin_second.force_login(second)
    return {
        "admin": admin_first,
        "other admin": admin_second,
        "api": client_for(second),
        "other api": client_for(first),
    }


def opened(client, url, form_id):
    response = client.get(url)
    assert response.status_code == 200
    return submitted_fields(response.content.decode(), form_id)


def saved(client, url, data):
    return client.post(url, data)


def change_url(model, pk):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{pk}/change/"


def inline_prefix(data, pk):
    """The inline form's prefix ("participation_set-2") of the row with primary key `pk`."""
    return next(
        name.removesuffix("-id")
        for name, values in data.items()
        if name.endswith("-id") and values == [str(pk)]
    )


def api_patch(client, path, body):
    etag = client.get(path)["ETag"]
    return client.patch(path, body, format="json", HTTP_IF_MATCH=etag)


def assert_refused(response, who, what):
    assert response.status_code == 200  # the form again, with the error
    text = response.content.decode()
    assert "Someone else saved this entry after you opened it" in text
    assert who in text and what in text


# The inline rows of an entry's change form, edited meanwhile by the API.


def test_admin_inline_row_against_an_api_edit_of_that_link(writers):
    case = CaseStudy.objects.get(slug=CASE)
    part = case.participation_set.order_by("pk").first()
    url = change_url(CaseStudy, case.pk)
    form = opened(writers["admin"], url, "casestudy_form")
    response = api_patch(
        writers["api"], f"/api/v1/participations/{part.pk}/", {"contribution": "From the API."}
    )
    assert response.status_code == 200
    form["summary"] = ["Only the summary changed in the admin."]
    response = saved(writers["admin"], url, form)
    assert_refused(response, "second-editor", "contribution")
    part.refresh_from_db()
    case.refresh_from_db()
    assert part.contribution == "From the API."
    assert case.summary != "Only the summary changed in the admin."


def test_admin_inline_row_deleted_meanwhile(writers):
    case = CaseStudy.objects.get(slug=CASE)
    part = case.participation_set.order_by("pk").first()
    url = change_url(CaseStudy, case.pk)
    form = opened(writers["admin"], url, "casestudy_form")
    etag = writers["api"].get(f"/api/v1/participations/{part.pk}/")["ETag"]
    assert (
        writers["api"].delete(f"/api/v1/participations/{part.pk}/", HTTP_IF_MATCH=etag).status_code
        == 204
    )
    form[f"{inline_prefix(form, part.pk)}-contribution"] = ["Edited in the admin."]
    response = saved(writers["admin"], url, form)
    assert response.status_code == 200
    assert not Participation.objects.filter(pk=part.pk).exists()


def test_unchanged_inline_rows_are_not_saved_again(writers):
    case = CaseStudy.objects.get(slug=CASE)
    versions = dict(case.participation_set.values_list("pk", "version"))
    url = change_url(CaseStudy, case.pk)
    form = opened(writers["admin"], url, "casestudy_form")
    form["summary"] = ["A new summary."]
    assert saved(writers["admin"], url, form).status_code == 302
    assert dict(case.participation_set.values_list("pk", "version")) == versions
    assert CaseStudy.objects.get(pk=case.pk).summary == "A new summary."


def test_admin_membership_inline_against_an_api_edit(writers):
    nato = Actor.objects.get(slug="nato")
    membership = Membership.objects.filter(organisation=nato).order_by("pk").first()
    url = change_url(Actor, nato.pk)
    form = opened(writers["admin"], url, "actor_form")
    response = api_patch(
        writers["api"], f"/api/v1/memberships/{membership.pk}/", {"note": "From the API."}
    )
    assert response.status_code == 200
    form["summary"] = ["Changed in the admin."]
    assert_refused(saved(writers["admin"], url, form), "second-editor", "note")
    membership.refresh_from_db()
    assert membership.note == "From the API."


def test_participation_admin_against_an_api_edit(writers):
    part = CaseStudy.objects.get(slug=CASE).participation_set.order_by("pk").first()
    confidence = part.confidence
    url = change_url(Participation, part.pk)
    form = opened(writers["admin"], url, "participation_form")
    api_patch(
        writers["api"], f"/api/v1/participations/{part.pk}/", {"contribution": "From the API."}
    )
    form["confidence"] = ["low" if confidence != "low" else "high"]
    assert_refused(saved(writers["admin"], url, form), "second-editor", "contribution")
    part.refresh_from_db()
    assert (part.contribution, part.confidence) == ("From the API.", confidence)


# Two admins.


def test_two_admins_on_the_same_inline_row(writers):
    case = CaseStudy.objects.get(slug=CASE)
    part = case.participation_set.order_by("pk").first()
    url = change_url(CaseStudy, case.pk)
    first = opened(writers["admin"], url, "casestudy_form")
    second = opened(writers["other admin"], url, "casestudy_form")
    field = f"{inline_prefix(second, part.pk)}-contribution"
    second[field] = ["The second admin's words."]
    assert saved(writers["other admin"], url, second).status_code == 302
    first[field] = ["The first admin's words."]
    assert_refused(saved(writers["admin"], url, first), "second-editor", "contribution")
    part.refresh_from_db()
    assert part.contribution == "The second admin's words."


def test_two_admins_on_the_entry_itself(writers):
    case = CaseStudy.objects.get(slug=CASE)
    url = change_url(CaseStudy, case.pk)
    first = opened(writers["admin"], url, "casestudy_form")
    second = opened(writers["other admin"], url, "casestudy_form")
    second["summary"] = ["Second."]
    assert saved(writers["other admin"], url, second).status_code == 302
    first["outcome"] = ["mixed"]
    assert_refused(saved(writers["admin"], url, first), "second-editor", "summary")
    assert CaseStudy.objects.get(pk=case.pk).summary == "Second."


# The API against an admin save, and against itself.


def test_api_against_an_admin_save_of_an_inline_row(writers):
    case = CaseStudy.objects.get(slug=CASE)
    part = case.participation_set.order_by("pk").first()
    path = f"/api/v1/participations/{part.pk}/"
    etag = writers["api"].get(path)["ETag"]
    url = change_url(CaseStudy, case.pk)
    form = opened(writers["admin"], url, "casestudy_form")
    form[f"{inline_prefix(form, part.pk)}-contribution"] = ["From the admin."]
    assert saved(writers["admin"], url, form).status_code == 302
    response = writers["api"].patch(
        path, {"contribution": "From the API."}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    part.refresh_from_db()
    assert part.contribution == "From the admin."


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"/api/v1/case-studies/{CASE}/", {"summary": "X."}),
        ("/api/v1/memberships/{membership}/", {"note": "X."}),
        ("/api/v1/participations/{participation}/", {"contribution": "X."}),
    ],
)
def test_two_api_clients_from_the_same_version(writers, path, body):
    path = path.format(
        membership=Membership.objects.order_by("pk").first().pk,
        participation=Participation.objects.order_by("pk").first().pk,
    )
    etag = writers["api"].get(path)["ETag"]
    first = writers["api"].patch(path, body, format="json", HTTP_IF_MATCH=etag)
    second = writers["other api"].patch(
        path, dict.fromkeys(body, "Y."), format="json", HTTP_IF_MATCH=etag
    )
    assert (first.status_code, second.status_code) == (200, 412)
    assert error_of(second)["code"] == "precondition_failed"
    assert writers["api"].get(path).json()[next(iter(body))] == "X."


# An import made from an export, against an edit since.


def exported_actors():
    """The actors as the export's JSON file has them."""
    return json.loads(records_to_json(export_records([Actor])))


def test_an_import_of_an_older_export_is_refused_naming_the_change(writers):
    exported = exported_actors()
    nato = next(record for record in exported if record["fields"]["slug"] == "nato")
    assert (
        api_patch(writers["api"], "/api/v1/actors/nato/", {"summary": "From the API."}).status_code
        == 200
    )
    nato["fields"]["short_name"] = "From the file"
    report = import_records([("actors.json", [nato])])
    (row,) = report.rejected
    assert "changed since this file was made from version" in row.message
    assert "second-editor" in row.message and "summary" in row.message
    stored = Actor.objects.get(slug="nato")
    assert (stored.summary, stored.short_name) == ("From the API.", "NATO")
    fresh = next(r for r in exported_actors() if r["fields"]["slug"] == "nato")
    fresh["fields"]["short_name"] = "From the file"
    assert not import_records([("actors.json", [fresh])]).rejected
    assert Actor.objects.get(slug="nato").short_name == "From the file"
