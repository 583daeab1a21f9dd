"""The admin, as an editor uses it: every page renders, rules show as form errors, and bulk
publishing works."""

import pytest
from django.contrib import admin
from django.contrib.admin.sites import site
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cooperation.models import Actor, Status, TimeStampedModel, Withdrawal
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeEncounterFactory,
    EraFactory,
    MechanismUseFactory,
    MembershipFactory,
    ParticipationFactory,
    RegionFactory,
    SourceFactory,
    TopicFactory,
)
from tests.support.world import staff_member

pytestmark = pytest.mark.django_db

# The atlas's records (releases have their own admin: tests/cooperation/releases/test_admin.py).
ATLAS_MODELS = [
    model
    for model in site._registry
    if model._meta.app_label in {"cooperation", "casestudies"}
    and issubclass(model, TimeStampedModel)
]


@pytest.fixture
def one_of_each(empty_database):
    CaseStudyFactory().sources.add(SourceFactory())
    ParticipationFactory()
    MechanismUseFactory()
    ChallengeEncounterFactory()
    MembershipFactory()
    RegionFactory()
    EraFactory()
    TopicFactory()


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_domain_model_is_in_the_admin():
    names = {model._meta.model_name for model in ATLAS_MODELS}
    assert names == {
        "actor",
        "membership",
        "mechanism",
        "challenge",
        "source",
        "region",
        "era",
        "casestudy",
        "participation",
        "mechanismuse",
        "challengeencounter",
        "topic",
    }


@pytest.mark.parametrize("model", ATLAS_MODELS, ids=lambda model: model._meta.model_name)
def test_changelist_add_and_change_pages_render(admin_client, one_of_each, model):
    obj = model._default_manager.first()
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "changelist"), {"q": "x"}).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    content_type = ContentType.objects.get_for_model(model)
    view_on_site = reverse("admin:view_on_site", args=[content_type.pk, obj.pk])
    assert view_on_site in response.content.decode()
    assert admin_client.get(view_on_site).url.endswith(obj.get_absolute_url())


def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_max_num_queries
):
    for _ in range(30):
        ParticipationFactory()
    with django_assert_max_num_queries(12):
        admin_client.get(admin_url(ParticipationFactory._meta.model, "changelist"))


def test_rule_breach_is_a_message_on_the_field_and_nothing_is_saved(admin_client):
    response = admin_client.post(
        admin_url(Actor, "add"),
        {
            "name": "Médecins Sans Frontières",
            "slug": "msf",
            "kind": Actor.Kind.NGO,
            "status": Status.DRAFT,
            "summary": "An NGO.",
            "country_code": "FR",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["country_code"] == [
        "Only states have a country code."
    ]
    assert not Actor.objects.filter(slug="msf").exists()


@pytest.mark.usefixtures("empty_database")
def test_bulk_publish_and_archive_actions(admin_client):
    drafts = ActorFactory.create_batch(2, status=Status.IN_REVIEW)
    url = admin_url(Actor, "changelist")
    selected = [actor.pk for actor in drafts]

    admin_client.post(
        url, {"action": "publish_selected", admin.helpers.ACTION_CHECKBOX_NAME: selected}
    )
    assert Actor.objects.published().count() == 2

    # Published entries are withdrawn with a reason, asked for first.
    asked = admin_client.post(
        url, {"action": "archive_selected", admin.helpers.ACTION_CHECKBOX_NAME: selected}
    )
    assert "Why they are withdrawn" in asked.content.decode()
    assert Actor.objects.published().count() == 2
    admin_client.post(
        url,
        {
            "action": "archive_selected",
            admin.helpers.ACTION_CHECKBOX_NAME: selected,
            "reason": "Merged into one entry.",
        },
    )
    assert set(Actor.objects.values_list("status", flat=True)) == {Status.ARCHIVED}
    assert Withdrawal.objects.filter(reason="Merged into one entry.").count() == 2


def test_admin_index_links_the_atlas_tools(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert reverse("atlas-exchange") in html and reverse("atlas-audit") in html


def test_editors_get_no_link_to_the_reviewers_page_and_a_clear_refusal(client, db):
    editor = staff_member("eddie", "Editors")
    client.force_login(editor)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("atlas-exchange") in index and reverse("atlas-audit") not in index
    refused = client.get(reverse("atlas-audit"))
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "You may not open this page" in text and 'href="/static/' in text  # the site's style


def test_reviewers_get_the_link_to_recent_changes(client, db):
    client.force_login(staff_member("rita", "Reviewers"))
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("atlas-audit") in index
    assert client.get(reverse("atlas-audit")).status_code == 200
