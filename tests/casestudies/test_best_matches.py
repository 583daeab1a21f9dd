"""The search page's case studies for the public (casestudies.search_rows): on PostgreSQL ranked
in the narrow search rows, in the order and with the ranks that ranking the case-study table
gives, and never a draft; elsewhere ranked in the case-study table itself."""

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy
from casestudies.search_rows import best_published_matches
from cooperation.models import Status
from cooperation.search import ordered_by_rank, search
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db

WORDS = ["quokka", "quokka coast", "quokka or wombat", "-wombat quokka", '"quokka coast"', "--"]


def ranked_in_the_case_study_table(words, limit):
    found = ordered_by_rank(search(CaseStudy.objects.published(), words))[:limit]
    return [(entry.pk, entry.rank) for entry in found]


@pytest.mark.postgres_only  # elsewhere the case-study table is what ranks them
def test_the_best_matches_are_those_the_case_study_table_ranks_first(empty_database):
    for title, summary in [
        ("Quokka patrol", "Along the quokka coast, a quokka count."),
        ("Wombat watch", "A quokka, and another quokka."),
        ("Coast guard", "Quokka sightings on the coast."),
        ("Harbour", "A wombat and a quokka."),
        ("Quokka quarter", "Nothing else."),
    ]:
        CaseStudyFactory(title=title, summary=summary, status=Status.PUBLISHED)
    CaseStudyFactory(title="Quokka coast draft", summary="quokka quokka", status=Status.DRAFT)
    for words in WORDS:
        for limit in (2, 20):  # a few of them, or all
            best = [(entry.pk, entry.rank) for entry in best_published_matches(words, limit)]
            assert best == ranked_in_the_case_study_table(words, limit), (words, limit)
    assert len(best_published_matches("quokka", 20)) == 5  # never the draft
    assert best_published_matches("--", 20) == []  # no word to search


def case_studies_found(client, words):
    response = client.get(reverse("search"), {"q": words})
    assert response.status_code == 200
    return [entry.title for label, entry in response.context["results"] if label == "Case study"]


def test_the_search_page_shows_the_public_no_draft_and_editors_their_drafts(
    client, empty_database, editor
):
    published = CaseStudyFactory(title="Quokka watch", status=Status.PUBLISHED)
    CaseStudyFactory(title="Quokka secret", status=Status.DRAFT)
    assert case_studies_found(client, "quokka") == ["Quokka watch"]

    client.force_login(editor)
    assert sorted(case_studies_found(client, "quokka")) == ["Quokka secret", "Quokka watch"]
    client.logout()

    published.status = Status.DRAFT  # withdrawn
    published.save()
    assert case_studies_found(client, "quokka") == []
