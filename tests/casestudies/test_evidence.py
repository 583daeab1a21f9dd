"""What a case study checked against its sources promises (issue 21): as of when its outcome and
its checking hold, where in each source every claim stands, `high` confidence only on an official
source, uncertain dates as ranges, and a lifecycle apart from the verdict."""

import datetime

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy
from cooperation.editorial.workflow import WorkflowError, transition
from cooperation.models import Source
from tests.factories import CaseStudyFactory, ParticipationFactory, SourceFactory
from tests.support.users import member_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def rita(db):
    return member_of("Reviewers", "rita")


@pytest.fixture
def checked(db):
    """A case checked against its sources, its one claim located and rated high on an official
    source, waiting for review."""
    official = SourceFactory(slug="un-resolution", kind=Source.Kind.OFFICIAL)
    case = CaseStudyFactory(
        slug="checked-case",
        status="in_review",
        reviewed_on=TODAY - datetime.timedelta(days=1),
        outcome_as_of=TODAY - datetime.timedelta(days=1),
    )
    case.sources.add(official)
    claim = ParticipationFactory(
        case_study=case, confidence="high", locators="un-resolution: operative paragraph 2"
    )
    claim.sources.add(official)
    return case, claim


def refusal(case, user):
    with pytest.raises(WorkflowError) as refused:
        transition(CaseStudy.objects.get(pk=case.pk), "publish", user=user)
    return str(refused.value)


def test_a_checked_case_with_located_claims_is_published(rita, checked):
    case, _ = checked
    transition(case, "publish", user=rita)
    assert CaseStudy.objects.get(pk=case.pk).is_published


def test_every_cited_source_needs_its_locator(rita, checked):
    case, claim = checked
    news = SourceFactory(slug="news-story", kind=Source.Kind.NEWS)
    claim.sources.add(news)
    assert "does not say where in “news-story” it stands" in refusal(case, rita)
    claim.locators += "\nnews-story: third paragraph\nnot a locator line"
    claim.save()
    assert "“not a locator line” is not “source-slug: where in it”" in refusal(case, rita)


def test_high_confidence_needs_an_official_source(rita, checked):
    case, claim = checked
    news = SourceFactory(slug="news-story", kind=Source.Kind.NEWS)
    claim.sources.set([news])
    claim.locators = "news-story: third paragraph"
    claim.save()
    assert "rated high confidence, which needs an official source" in refusal(case, rita)
    claim.confidence = "medium"
    claim.save()
    transition(case, "publish", user=rita)


def test_checked_as_of_and_outcome_as_of_are_not_in_the_future(rita, checked):
    case, _ = checked
    CaseStudy.objects.filter(pk=case.pk).update(reviewed_on=TODAY + datetime.timedelta(days=2))
    assert "cannot be a day in the future" in refusal(case, rita)
    CaseStudy.objects.filter(pk=case.pk).update(reviewed_on=TODAY, outcome_as_of=None)
    assert "Say as of when its outcome holds" in refusal(case, rita)


def test_the_page_shows_checking_ranges_locators_and_disagreements(client, checked):
    case, _ = checked
    CaseStudy.objects.filter(pk=case.pk).update(
        status="published",
        start_date=datetime.date(2001, 9, 12),
        start_latest=datetime.date(2001, 9, 30),
        start_precision="month",
        end_date=None,
        end_precision="",
        outcome="too_early",
        disagreements="Sources give *8, 9 or 10* as the toll.",
    )
    html = client.get(reverse("casestudies:detail", args=[case.slug])).content.decode()
    assert "Between 12 September 2001 and 30 September 2001" in html
    assert "Not ended: active" in html and "Too early to judge" in html
    assert "Checked as of" in html and "Where the sources disagree" in html
    assert "<em>8, 9 or 10</em>" in html
    assert ", operative paragraph 2" in html  # where in the source the claim stands


def test_dates_show_only_the_precision_the_sources_give(client, checked):
    case, _ = checked
    CaseStudy.objects.filter(pk=case.pk).update(
        status="published",
        start_date=datetime.date(1946, 3, 1),
        start_precision="month",
        end_date=datetime.date(2014, 1, 1),
        end_precision="year",
    )
    html = client.get(reverse("casestudies:detail", args=[case.slug])).content.decode()
    assert "<dd>March 1946</dd>" in html and "<dd>2014</dd>" in html


def test_lifecycle_is_apart_from_the_outcome(client, small_atlas):
    assert CaseStudy.objects.get(slug="isaf").lifecycle == "ended"
    sahel = CaseStudy.objects.get(slug="sahel")
    assert (sahel.lifecycle, sahel.outcome) == ("active", "too_early")
    listed = client.get(reverse("casestudies:list"), {"lifecycle": "active"}).content.decode()
    assert "Sahel task force" in listed and ">ISAF<" not in listed
    api = client.get("/api/v1/case-studies/", {"lifecycle": "ended"}).json()
    assert [item["slug"] for item in api["results"]] == ["isaf"]
    assert api["results"][0]["lifecycle"] == "ended"
