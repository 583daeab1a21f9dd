"""The seed content in fixtures/: complete, linked, valid, and loadable twice."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db.models import Count

from casestudies.models import CaseStudy
from cooperation.models import Actor, Challenge, Era, Mechanism, Membership, Source

pytestmark = pytest.mark.django_db

FIXTURES = sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json"))


def test_every_fixture_object_is_valid_on_its_own(atlas):
    # loaddata saves raw and never runs full_clean(), so check every object here, independently
    # of the project's own loader.
    checked = 0
    for path in FIXTURES:
        for deserialized in serializers.deserialize("json", path.read_text()):
            # The object's natural key found its loaded row: validate it as an edit of that row.
            deserialized.object._state.adding = deserialized.object.pk is None
            deserialized.object.full_clean()
            checked += 1
    assert checked == sum(len(json.loads(path.read_text())) for path in FIXTURES)


def test_loading_twice_changes_nothing(atlas):
    out = io.StringIO()
    call_command("load_atlas", stdout=out)
    assert " 0 created, 0 changed" in out.getvalue()


def test_counts_the_source_document_calls_for(atlas):
    assert Actor.objects.published().count() >= 30
    assert Mechanism.objects.published().count() >= 12
    assert CaseStudy.objects.published().count() >= 8
    assert Challenge.objects.published().count() >= 8
    assert Era.objects.count() == 5


def test_every_case_study_is_linked_and_sourced(atlas):
    case_studies = CaseStudy.objects.annotate(
        participants=Count("participation", distinct=True),
        mechanisms=Count("mechanismuse", distinct=True),
        challenges=Count("challengeencounter", distinct=True),
        source_count=Count("sources", distinct=True),
    )
    for case in case_studies:
        assert case.participants >= 3, case
        assert case.mechanisms >= 2, case
        assert case.challenges >= 2, case
        assert case.source_count >= 2, case
        assert {"lead", "host_nation", "member", "partner", "adversary"} >= set(
            case.participation_set.values_list("role", flat=True)
        )


def test_every_claim_and_entity_cites_a_source(atlas):
    for case in CaseStudy.objects.all():
        for links in (case.participation_set, case.mechanismuse_set, case.challengeencounter_set):
            for link in links.all():
                assert link.sources.exists(), link
    for model in (Actor, Mechanism, Challenge):
        for entry in model.objects.published():
            assert entry.sources.exists(), entry
            assert entry.summary.strip() and entry.body.strip(), entry
    assert not Membership.objects.filter(sources=None).exists()
    assert not Source.objects.filter(url="", publisher="").exists()


def test_the_source_documents_cases_and_topics_are_there(atlas):
    case_studies = set(CaseStudy.objects.values_list("slug", flat=True))
    assert {
        "isaf-afghanistan",
        "cjtf-oir-against-isis",
        "five-eyes-ukusa",
        "jtf2-task-force-k-bar",
        "cert-eu-information-sharing",
        "nato-response-9-11",
    } <= case_studies
    evolving = set(
        Challenge.objects.filter(category="evolving_threats").values_list("slug", flat=True)
    )
    assert {
        "cyberterrorism",
        "bioterrorism",
        "drones-weapons-proliferation",
        "online-radicalisation",
    } <= evolving
    assert Mechanism.objects.filter(category="technology").count() >= 4
    intelligence = Mechanism.objects.get(slug="intelligence-sharing")
    assert {"encrypted-communications", "joint-databases", "collaborative-analysis-teams"} <= set(
        intelligence.components.values_list("slug", flat=True)
    )


def test_memberships_the_case_studies_rely_on(atlas):
    five_eyes = Actor.objects.get(slug="five-eyes")
    members = set(five_eyes.members.values_list("member__country_code", flat=True))
    assert members == {"AU", "CA", "NZ", "GB", "US"}
    nato = Actor.objects.get(slug="nato")
    assert nato.members.filter(role="founding_member").count() == 12


def test_crosswalk_ids_are_well_formed(atlas):
    for actor in Actor.objects.exclude(wikidata_qid=""):
        assert actor.wikidata_qid[0] == "Q" and actor.wikidata_qid[1:].isdigit(), actor
    for state in Actor.objects.filter(kind="state"):
        assert len(state.country_code) == 2 and state.country_code.isupper(), state
