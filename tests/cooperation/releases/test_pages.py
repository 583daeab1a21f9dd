"""The public record of change on the site: release pages, each record as it stood in a release,
the changelog and its feed, the 410 page of a withdrawn entry, and citations of every record and
release that parse as BibTeX and RIS, naming the release in which the record last changed."""

import xml.etree.ElementTree as ElementTree

import bibtexparser
import pytest
import rispy
from django.urls import reverse

from casestudies.models import CaseStudy
from cooperation.editorial.history import recording
from cooperation.editorial.withdrawals import restore
from cooperation.editorial.workflow import transition
from cooperation.models import Actor, Status
from cooperation.releases.snapshot import cut_release
from tests.support.html import assert_well_formed_page
from tests.support.users import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(db):
    return member_of("Reviewers", "rita")


@pytest.fixture
def released(small_atlas):
    return cut_release("2027.1", notes="The **first** release.")


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_release_pages_list_describe_and_detail_the_changes(client, released):
    isaf = CaseStudy.objects.get(slug="isaf")
    isaf.summary = "Corrected."
    isaf.save()
    cut_release("2027.2", notes="Corrections.")

    listing = page(client, reverse("releases:list"))
    assert listing.index("2027.2") < listing.index("2027.1")  # newest first
    assert "2 case studies" in listing
    detail = page(client, reverse("releases:detail", args=["2027.2"]))
    assert_well_formed_page(detail)
    assert (
        "Corrections." in detail and "Counterterrorism Cooperation Atlas, release 2027.2" in detail
    )
    assert 'href="/releases/2027.2/download.zip"' in detail
    changes = page(client, reverse("releases:changes", args=["2027.2"]))
    assert "<del>The NATO-led security mission in Afghanistan.</del>" in changes
    assert "<ins>Corrected.</ins>" in changes
    assert "<strong>first</strong>" in page(client, reverse("releases:detail", args=["2027.1"]))


def test_a_record_as_it_stood_in_a_release(client, released):
    isaf = CaseStudy.objects.get(slug="isaf")
    isaf.summary = "Rewritten later."
    isaf.save()
    frozen = page(client, "/releases/2027.1/case-studies/isaf/")
    assert "The NATO-led security mission in Afghanistan." in frozen
    assert "Rewritten later." not in frozen
    assert "Frozen view" in frozen and 'href="/case-studies/isaf/"' in frozen
    assert "Secretland" not in frozen  # the draft participant is not in the release either
    page(client, "/releases/2027.1/case-studies/secret-plan/", 404)  # a draft: never released
    page(client, "/releases/2027.1/admin/", 404)  # only record pages are frozen
    page(client, "/releases/2099.1/case-studies/isaf/", 404)
    assert "Rewritten later." in page(client, "/case-studies/isaf/")


def test_the_changelog_lists_public_changes_without_names(client, rita, small_atlas):
    nato = Actor.objects.get(slug="nato")
    with recording(user=rita, note="Added the founding date."):
        nato.summary = "The North Atlantic alliance."
        nato.save()
    draft = CaseStudy.objects.get(slug="secret-plan")
    with recording(user=rita, note="Draft work."):
        draft.summary = "Still a draft."
        draft.save()
    transition(CaseStudy.objects.get(slug="sahel"), "archive", user=rita, comment="A duplicate.")
    changelog = page(client, reverse("changes"))
    assert "Updated: actor" in changelog and "Added the founding date." in changelog
    assert "Withdrawn: case study" in changelog and "A duplicate." in changelog
    assert "Draft work." not in changelog and "rita" not in changelog
    narrowed = page(client, reverse("changes") + "?kind=actor")
    assert "Added the founding date." in narrowed and "A duplicate." not in narrowed
    feed = client.get(reverse("changes-feed") + "?kind=case-study").content
    titles = [
        e.text for e in ElementTree.fromstring(feed).iter("{http://www.w3.org/2005/Atom}title")
    ]
    assert "Withdrawn: case study “Sahel task force”" in titles
    assert not any("actor" in title for title in titles[1:])
    assert "Added the founding date." in page(client, nato.get_absolute_url())


def test_a_withdrawn_entry_answers_410_with_when_why_and_where(client, rita, released):
    sahel = CaseStudy.objects.get(slug="sahel")
    transition(sahel, "archive", user=rita, comment="Merged into another case study.")
    gone = page(client, "/case-studies/sahel/", 410)
    assert "Sahel task force" in gone and "Merged into another case study." in gone
    assert 'href="/releases/2027.1/case-studies/sahel/"' in gone
    page(client, "/case-studies/never-existed/", 404)
    page(client, "/releases/2027.1/case-studies/sahel/")  # frozen, it is still there
    CaseStudy.objects.filter(slug="sahel").update(status=Status.PUBLISHED)
    restore(CaseStudy.objects.get(slug="sahel"))  # as publishing it again does
    page(client, "/case-studies/sahel/")


def test_archiving_a_published_entry_needs_a_reason(rita, small_atlas):
    from cooperation.editorial.workflow import MissingComment

    with pytest.raises(MissingComment, match="why the entry is withdrawn"):
        transition(CaseStudy.objects.get(slug="sahel"), "archive", user=rita)
    assert CaseStudy.objects.get(slug="sahel").status == Status.PUBLISHED


def test_a_withdrawn_slug_is_never_reused(rita, small_atlas):
    from django.core.exceptions import ValidationError

    transition(CaseStudy.objects.get(slug="sahel"), "archive", user=rita, comment="Gone.")
    CaseStudy.objects.filter(slug="sahel").delete()
    newcomer = CaseStudy(slug="sahel", title="Another Sahel case", summary="x", outcome="mixed")
    with pytest.raises(ValidationError, match="named a case study that was withdrawn"):
        newcomer.validate_unique()


@pytest.mark.parametrize(
    "url",
    [
        "/case-studies/isaf/",
        "/actors/nato/",
        "/mechanisms/intel/",
        "/challenges/politics/",
        "/topics/alliances/",
    ],
)
def test_every_record_page_cites_the_release_it_last_changed_in(client, released, url):
    html = page(client, url)
    assert "Counterterrorism Cooperation Atlas, release 2027.1" in html
    assert f"/releases/2027.1{url}" in html and "CC-BY-4.0" in html


def parsed_bibtex(text):
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and len(library.entries) == 1
    return {name: field.value for name, field in library.entries[0].fields_dict.items()}


def test_citations_parse_as_bibtex_ris_and_csl(client, released):
    bib = parsed_bibtex(page(client, "/cite/actor/nato.bib"))
    assert bib["title"] == "NATO" and bib["version"] == "2027.1"
    assert bib["url"].endswith("/releases/2027.1/actors/nato/")
    (ris,) = rispy.loads(page(client, "/case-studies/isaf/cite.ris"))
    assert ris["title"] == "ISAF" and ris["edition"] == "release 2027.1"
    csl = client.get("/cite/topic/alliances.json").json()
    assert csl[0]["version"] == "2027.1" and csl[0]["license"] == "CC-BY-4.0"
    dataset = parsed_bibtex(page(client, "/releases/2027.1/cite.bib"))
    assert dataset["title"] == "Counterterrorism Cooperation Atlas, release 2027.1"
    page(client, "/cite/case-study/secret-plan.bib", 404)  # a draft cannot be cited


def test_an_entry_no_release_holds_is_cited_as_it_is(client, small_atlas):
    html = page(client, "/case-studies/isaf/")
    assert "not yet in a release" in html


@pytest.mark.parametrize(
    "name,args",
    [
        ("releases:list", []),
        ("releases:detail", ["2027.1"]),
        ("releases:changes", ["2027.1"]),
        ("changes", []),
    ],
)
def test_new_pages_run_a_fixed_number_of_queries(
    client, released, rita, django_assert_max_num_queries, name, args
):
    for number in range(2, 6):
        cut_release(f"2027.{number}", notes="More.")
    for actor in Actor.objects.all():
        with recording(user=rita, note="A note."):
            actor.summary += " More."
            actor.save()
    with django_assert_max_num_queries(12):
        client.get(reverse(name, args=args))
