"""Loading fixtures: idempotent, validated, and all or nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cooperation.models import Actor, Membership, Source

pytestmark = pytest.mark.django_db

SOURCE = {
    "model": "cooperation.source",
    "fields": {
        "slug": "north-atlantic-treaty",
        "title": "The North Atlantic Treaty",
        "publisher": "NATO",
        "url": "https://www.nato.int/cps/en/natolive/official_texts_17120.htm",
        "published_on": "1949-04-04",
        "kind": "official",
    },
}
NATO = {
    "model": "cooperation.actor",
    "fields": {
        "slug": "nato",
        "name": "North Atlantic Treaty Organization",
        "short_name": "NATO",
        "kind": "military_alliance",
        "summary": "A defensive alliance.",
        "status": "published",
        "sources": [["north-atlantic-treaty"]],
    },
}
CANADA = {
    "model": "cooperation.actor",
    "fields": {
        "slug": "canada",
        "name": "Canada",
        "kind": "state",
        "country_code": "CA",
        "summary": "A state.",
        "status": "published",
    },
}
MEMBERSHIP = {
    "model": "cooperation.membership",
    "fields": {
        "member": ["canada"],
        "organisation": ["nato"],
        "role": "founding_member",
        "start_date": "1949-08-24",
    },
}


def write(tmp_path, name, records):
    path = tmp_path / name
    path.write_text(records if isinstance(records, str) else json.dumps(records))
    return path


def load(*paths):
    out = io.StringIO()
    call_command("load_atlas", *map(str, paths), stdout=out)
    return out.getvalue()


def snapshot():
    return (
        sorted(Actor.objects.values_list("slug", "name", "summary", "status")),
        sorted(Membership.objects.values_list("member__slug", "organisation__slug", "role")),
        sorted(Source.objects.values_list("slug", "title")),
    )


@pytest.fixture
def good(empty_database, tmp_path):
    return write(tmp_path, "good.json", [SOURCE, NATO, CANADA, MEMBERSHIP])


def test_loading_twice_creates_no_duplicates(good):
    assert "4 created" in load(good)
    before = snapshot()
    updated_at = Actor.objects.get(slug="nato").updated_at

    assert "0 created, 0 changed, 4 unchanged" in load(good)
    assert snapshot() == before
    assert Actor.objects.get(slug="nato").updated_at == updated_at


def test_reloading_an_edited_fixture_updates_the_record(tmp_path, good):
    load(good)
    published_at = Actor.objects.get(slug="nato").published_at
    edited = {**NATO, "fields": {**NATO["fields"], "summary": "An alliance of 32 states."}}
    assert "1 changed" in load(write(tmp_path, "edited.json", [edited]))
    nato = Actor.objects.get(slug="nato")
    assert nato.summary == "An alliance of 32 states."
    assert nato.published_at == published_at


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[{"model": "cooperation.actor", "fields": {', "not valid JSON"),
        ('{"model": "cooperation.actor"}', "expected a JSON list"),
        ('[{"model": "cooperation.nothing", "fields": {}}]', "record 1"),
        ('["just a string"]', 'expected an object with "model" and "fields"'),
    ],
)
def test_malformed_fixture_names_the_file(tmp_path, good, content, expected):
    load(good)
    before = snapshot()
    bad = write(tmp_path, "bad.json", content)
    with pytest.raises(CommandError) as error:
        load(bad)
    assert "bad.json" in str(error.value)
    assert expected in str(error.value)
    assert snapshot() == before


def test_reference_to_missing_record_names_record_and_leaves_database_as_it_was(tmp_path, good):
    load(good)
    before = snapshot()
    renamed = {**NATO, "fields": {**NATO["fields"], "name": "Changed before the failure"}}
    dangling = {
        "model": "cooperation.membership",
        "fields": {"member": ["atlantis"], "organisation": ["nato"], "start_date": "1949-08-24"},
    }
    bad = write(tmp_path, "dangling.json", [renamed, dangling])
    with pytest.raises(CommandError) as error:
        load(bad)
    message = str(error.value)
    # In the editor's words: which record, which field, which missing target
    assert (
        "dangling.json, record 2 (membership of member “atlantis”, organisation “nato”): "
        "member: no actor “atlantis” in the atlas"
    ) in message
    assert snapshot() == before


@pytest.mark.usefixtures("empty_database")
def test_missing_source_in_many_to_many_is_named(tmp_path):
    actor = {**NATO, "fields": {**NATO["fields"], "sources": [["no-such-source"]]}}
    with pytest.raises(CommandError, match="no-such-source"):
        load(write(tmp_path, "m2m.json", [actor]))
    assert not Actor.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field_name"),
    [
        ({"kind": "ngo", "country_code": "FR"}, "country_code"),
        ({"wikidata_qid": "NATO"}, "wikidata_qid"),
        ({"founded": "2000-01-01", "dissolved": "1999-01-01"}, "end date cannot be before"),
        ({"kind": "galaxy"}, "kind"),
        ({"summary": ""}, "summary"),
    ],
)
@pytest.mark.usefixtures("empty_database")
def test_record_that_breaks_a_rule_is_named_and_nothing_is_loaded(tmp_path, fields, field_name):
    actor = {**NATO, "fields": {**NATO["fields"], "sources": [], **fields}}
    bad = write(tmp_path, "rules.json", [SOURCE, CANADA, actor])
    with pytest.raises(CommandError) as error:
        load(bad)
    message = str(error.value)
    assert "rules.json, record 3 (actor “nato”)" in message
    assert field_name in message
    assert snapshot() == ([], [], [])


def test_failure_in_a_later_file_rolls_back_earlier_files(tmp_path, good):
    bad = write(tmp_path, "later.json", [{**CANADA, "fields": {**CANADA["fields"], "kind": "x"}}])
    with pytest.raises(CommandError, match=r"later\.json"):
        load(good, bad)
    assert snapshot() == ([], [], [])


def test_unreadable_file_is_named(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.json: cannot be read"):
        load(tmp_path / "missing.json")
