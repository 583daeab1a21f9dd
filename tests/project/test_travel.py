"""Pages that travel: each record page describes itself as schema.org JSON-LD (parsed here as a
search engine would, from the one <script type="application/ld+json"> element), names its one
canonical absolute address (also its OpenGraph URL), and says no more than the public page
does: no draft, and no change waiting for review, reaches it."""

import json

import html5lib
import pytest

from cooperation.editorial.revisions import save_as_revision
from cooperation.models import Actor, Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeEncounterFactory,
    ChallengeFactory,
    MechanismFactory,
    MechanismUseFactory,
    ParticipationFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_database")]

HOME = "http://testserver/"
DATASET_ID = f"{HOME}#dataset"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
HOSTILE = "</script><script>alert(1)</script>"


def document(response):
    assert response.status_code == 200
    return html5lib.parse(response.content, namespaceHTMLElements=False)


def scripts(page):
    return page.findall(".//script")


def structured_data(response):
    """The page's one JSON-LD object, parsed."""
    [element] = [each for each in scripts(document(response)) if not each.get("src")]
    assert element.get("type") == "application/ld+json"
    return json.loads(element.text)


def head(response):
    """(canonical link, og:url, og:type, og:title) of the page."""
    page = document(response)
    [canonical] = page.findall(".//head/link[@rel='canonical']")
    meta = {each.get("property"): each.get("content") for each in page.findall(".//head/meta")}
    return canonical.get("href"), meta.get("og:url"), meta.get("og:type"), meta.get("og:title")


RECORDS = {
    "case study": (lambda: CaseStudyFactory(title="Operation Active Endeavour"), "Article"),
    "topic": (lambda: TopicFactory(title="What cooperation is"), "Article"),
    "mechanism": (lambda: MechanismFactory(name="Intelligence sharing"), "CreativeWork"),
    "challenge": (lambda: ChallengeFactory(name="Caveats on the use of force"), "CreativeWork"),
}


@pytest.mark.parametrize("kind", RECORDS)
def test_a_record_page_describes_itself_as_its_schema_org_type(client, kind):
    make, type_ = RECORDS[kind]
    record = make()
    name = getattr(record, "title", None) or record.name
    url = f"http://testserver{record.get_absolute_url()}"
    response = client.get(record.get_absolute_url())
    data = structured_data(response)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == type_
    assert data["name"] == name
    assert data["url"] == url
    assert data["description"] == record.summary
    assert data["license"] == LICENCE
    assert data["isPartOf"]["@id"] == DATASET_ID
    assert data["datePublished"] == record.published_at.isoformat()
    assert data["dateModified"] == record.updated_at.isoformat()
    if type_ == "Article":
        assert data["headline"] == name
    assert head(response) == (url, url, "article", name)


def test_an_actor_is_an_organization_the_same_as_its_wikidata_item(client):
    actor = ActorFactory(
        name="North Atlantic Treaty Organization",
        short_name="NATO",
        wikidata_qid="Q7184",
        website="https://www.nato.int/",
    )
    url = f"http://testserver{actor.get_absolute_url()}"
    data = structured_data(client.get(actor.get_absolute_url()))
    assert data["@type"] == "Organization"
    assert (data["name"], data["alternateName"]) == ("North Atlantic Treaty Organization", "NATO")
    assert data["sameAs"] == ["https://www.wikidata.org/wiki/Q7184", "https://www.nato.int/"]
    # The atlas's page is the page about the organisation; its own address is its website.
    assert data["mainEntityOfPage"]["url"] == url
    assert data["mainEntityOfPage"]["isPartOf"]["@id"] == DATASET_ID
    assert data["url"] == "https://www.nato.int/"

    plain = ActorFactory()
    data = structured_data(client.get(plain.get_absolute_url()))
    assert "sameAs" not in data and "url" not in data


def test_a_case_study_names_the_published_records_its_page_lists(client):
    case_study = CaseStudyFactory()
    partner = ParticipationFactory(case_study=case_study, actor__name="Public partner").actor
    ParticipationFactory(
        case_study=case_study, actor=ActorFactory(name="Unpublished ally", status=Status.DRAFT)
    )
    mechanism = MechanismUseFactory(case_study=case_study).mechanism
    challenge = ChallengeEncounterFactory(case_study=case_study).challenge
    MechanismUseFactory(
        case_study=case_study, mechanism=MechanismFactory(name="Draft tool", status=Status.DRAFT)
    )
    response = client.get(case_study.get_absolute_url())
    data = structured_data(response)
    assert data["mentions"] == [
        {
            "@type": "Organization",
            "name": "Public partner",
            "url": f"http://testserver{partner.get_absolute_url()}",
        }
    ]
    assert [each["name"] for each in data["about"]] == [mechanism.name, challenge.name]
    text = json.dumps(data)
    assert "Unpublished ally" not in text and "Draft tool" not in text


@pytest.mark.parametrize("kind", ["case study", "actor"])
def test_a_title_cannot_close_the_json_ld_element(client, kind):
    if kind == "case study":
        record = CaseStudyFactory(title=f"Tricky {HOSTILE}", summary=f"A & B <b> {HOSTILE}")
    else:
        record = ActorFactory(name=f"Tricky {HOSTILE}", summary=f"A & B <b> {HOSTILE}")
    response = client.get(record.get_absolute_url())
    html = response.content.decode()
    assert HOSTILE not in html
    assert "<script>alert" not in html
    # One script element only, the data, which holds the title exactly as written.
    assert [each.get("type") for each in scripts(document(response))] == ["application/ld+json"]
    data = structured_data(response)
    assert data["name"] == f"Tricky {HOSTILE}"
    assert data["description"] == f"A & B <b> {HOSTILE}"


def test_the_canonical_url_leaves_out_the_query_string(client):
    CaseStudyFactory(slug="oae")
    url = "http://testserver/case-studies/oae/"
    canonical, og_url, *_ = head(client.get(f"{url}?preview=changes&utm_source=feed&page=3"))
    assert canonical == og_url == url

    canonical, og_url, og_type, _ = head(client.get("/case-studies/?ordering=title&q=sea&page=1"))
    assert canonical == og_url == "http://testserver/case-studies/"
    assert og_type == "website"


def test_a_list_page_past_the_first_keeps_its_page_number(client):
    ActorFactory.create_batch(51)  # two pages of 50
    canonical, og_url, *_ = head(client.get("/actors/?page=2&utm_source=feed"))
    assert canonical == og_url == "http://testserver/actors/?page=2"
    canonical, _, *_ = head(client.get("/actors/?page=1"))
    assert canonical == "http://testserver/actors/"


def test_the_home_page_describes_the_atlas_as_a_dataset_of_published_records(client):
    shown = CaseStudyFactory(title="Featured and published", featured=True)
    CaseStudyFactory(title="Featured but a draft", featured=True, status=Status.DRAFT)
    CaseStudyFactory(title="Published, not featured")
    ActorFactory(name="Draft actor", status=Status.DRAFT)
    response = client.get("/")
    data = structured_data(response)
    assert data["@type"] == "Dataset"
    assert (data["@id"], data["url"], data["license"]) == (DATASET_ID, HOME, LICENCE)
    assert data["creator"]["name"] == data["publisher"]["name"] == data["name"]
    assert len(data["description"]) >= 50
    downloads = {each["encodingFormat"]: each["contentUrl"] for each in data["distribution"]}
    assert downloads == {
        "text/csv": "http://testserver/case-studies/export.csv",
        "application/json": "http://testserver/case-studies/export.json",
    }
    assert "version" not in data  # no release cut yet
    assert data["hasPart"] == [
        {
            "@type": "Article",
            "name": "Featured and published",
            "url": f"http://testserver{shown.get_absolute_url()}",
        }
    ]
    text = json.dumps(data)
    assert "Featured but a draft" not in text and "Draft actor" not in text
    canonical, og_url, og_type, _ = head(response)
    assert canonical == og_url == HOME and og_type == "website"


def test_changes_waiting_for_review_stay_out_of_the_public_json_ld(client, editor):
    actor = ActorFactory(name="Gulf Commission", summary="As published.")

    def edit():
        live = Actor.objects.get(pk=actor.pk)
        live.summary = "Waiting for review."
        live.save()
        return True

    save_as_revision(actor, user=editor, change=edit)
    preview = f"{actor.get_absolute_url()}?preview=changes"
    assert structured_data(client.get(preview))["description"] == "As published."
    client.force_login(editor)  # the editor's preview does show them: the test can tell
    assert structured_data(client.get(preview))["description"] == "Waiting for review."
