"""The search page for readers who see only published records (cooperation.public_search): on
PostgreSQL a statement per step for every kind, whose answers are those of
cooperation.search's querysets, step by step, and never a draft's."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from casestudies.models import CaseStudy
from cooperation import public_search
from cooperation.models import Actor, Challenge, Mechanism, Status, Topic
from cooperation.search import close_matches, ordered_by_rank, search, search_words, words_found
from tests.factories import ActorFactory, CaseStudyFactory, MechanismFactory, TopicFactory

pytestmark = pytest.mark.django_db

MODELS = [CaseStudy, Actor, Mechanism, Challenge, Topic]
SEARCHES = [
    "Afghanistan",
    "NATO",
    "intelligence sharing",
    "maritime or piracy",
    "-NATO Afghanistan",
    '"collective defence"',
    "the NATO",
    "Afganistan",
    "Afrippol",
    "Interpoll notices",
    "Zanzibar Lighthuse",
    "Quokka",
    "--",
    "x",
]


@pytest.fixture
def with_drafts(atlas):
    """The atlas, and drafts of every kind whose words and names the searches ask for."""
    CaseStudyFactory(title="Operation Zanzibar Lighthouse", status=Status.DRAFT)
    CaseStudyFactory(title="Quokka watch", summary="Afghanistan, NATO", status=Status.DRAFT)
    ActorFactory(name="Afghanistan Quokka Office", status=Status.DRAFT)
    MechanismFactory(name="Quokka intelligence sharing", status=Status.DRAFT)
    TopicFactory(title="NATO and the quokka", status=Status.DRAFT)


def published(model):
    return model.objects.published()


@pytest.mark.postgres_only  # elsewhere the querysets are what answers
def test_each_step_answers_as_the_querysets_do(with_drafts):
    assert public_search.applies(AnonymousUser(), MODELS)
    for text in SEARCHES:
        best = [
            (model, entry.pk, entry.rank)
            for model in MODELS
            for entry in ordered_by_rank(search(published(model), text))[:3]
        ]
        found = public_search.best_published(MODELS, text, 3)
        assert [(model, entry.pk, entry.rank) for model, entry in found] == best, text

        words = search_words(text)
        querysets = [published(model) for model in MODELS]
        assert public_search.published_words_found(MODELS, words) == words_found(
            querysets, words
        ), text

        close = [
            (model, entry.pk, entry.closeness, entry.likeness, entry.close_name)
            for model in MODELS
            for entry in close_matches(published(model), text, 4)
        ]
        answered = public_search.close_published(MODELS, text, 4)
        assert [
            (model, entry.pk, entry.closeness, entry.likeness, entry.close_name)
            for model, entry in answered
        ] == close, text
    # The searches do find things, and misspellings close names, so the comparisons say much.
    assert len(public_search.best_published(MODELS, "NATO", 20)) > 5
    assert public_search.close_published(MODELS, "Afganistan", 10)


def found_by(client, text):
    response = client.get(reverse("search"), {"q": text})
    assert response.status_code == 200
    return {str(entry) for _label, entry in response.context["results"]} | {
        str(entry) for _label, entry in response.context["close_matches"]
    }


def test_the_public_finds_no_draft_and_editors_their_drafts(client, with_drafts, editor):
    for text in ["quokka", "Zanzibar Lighthuse", "Afghanistan Quokka"]:
        assert not {
            name for name in found_by(client, text) if "Quokka" in name or "Zanzibar" in name
        }
    client.force_login(editor)
    assert {"Quokka watch", "Afghanistan Quokka Office", "NATO and the quokka"} <= found_by(
        client, "quokka"
    )
    assert "Operation Zanzibar Lighthouse" in found_by(client, "Zanzibar Lighthuse")


def test_a_withdrawn_case_study_leaves_the_publics_search(client, empty_database):
    case = CaseStudyFactory(title="Quokka coast patrol", status=Status.PUBLISHED)
    assert found_by(client, "quokka") == {"Quokka coast patrol"}
    case.status = Status.DRAFT
    case.save()
    assert found_by(client, "quokka") == set()
