"""The access world: a small atlas of published entries and unpublished ones in every state
linked to them wherever a page could show them, with an account for each role. The access matrix
and the bad-input tests probe it; the write bodies for each API resource live here too."""

import datetime
from http.cookies import SimpleCookie
from types import SimpleNamespace

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from rest_framework.authtoken.models import Token

from casestudies.models import CaseStudy
from cooperation.models import Actor, Challenge, Mechanism, Source, Status
from cooperation.releases.snapshot import cut_release
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeEncounterFactory,
    ChallengeFactory,
    EraFactory,
    MechanismFactory,
    MechanismUseFactory,
    MembershipFactory,
    ParticipationFactory,
    RegionFactory,
    SourceFactory,
    StateFactory,
    TopicFactory,
)

HIDDEN_STATUSES = (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED)


def build_published():
    """A small atlas of published entries and the reference data they use."""
    europe = RegionFactory(name="Europe", slug="europe")
    africa = RegionFactory(name="Africa", slug="africa")
    RegionFactory(name="Arctic", slug="arctic")  # nothing refers to it, so it may be deleted
    EraFactory(
        name="After 9/11",
        slug="post-9-11",
        start_date=datetime.date(2001, 9, 11),
        end_date=datetime.date(2014, 6, 9),
    )
    EraFactory(name="Islamic State", slug="isis", start_date=datetime.date(2014, 6, 10))
    report = SourceFactory(slug="isaf-report", title="ISAF report")
    SourceFactory(slug="spare-source", title="Spare source")
    nato = ActorFactory(name="NATO", slug="nato", region=europe)
    canada = StateFactory(name="Canada", slug="canada", country_code="CA", region=europe)
    mali = StateFactory(name="Mali", slug="mali", country_code="ML", region=africa)
    MembershipFactory(member=canada, organisation=nato)
    intel = MechanismFactory(name="Intelligence sharing", slug="intel")
    ops = MechanismFactory(
        name="Joint operations", slug="ops", category="joint_operations", parent=intel
    )
    MechanismFactory(name="Liaison officers", slug="liaison", category="diplomatic")
    politics = ChallengeFactory(name="Politics", slug="politics")
    politics.mitigated_by.add(intel)
    ChallengeFactory(name="Secrecy", slug="secrecy", category="technology")
    isaf = CaseStudyFactory(
        title="ISAF",
        slug="isaf",
        summary="The NATO-led mission in Afghanistan.",
        start_date=datetime.date(2003, 8, 11),
        end_date=datetime.date(2014, 12, 28),
        featured=True,
    )
    isaf.regions.add(europe)
    isaf.countries.add(canada)
    isaf.sources.add(report)
    ParticipationFactory(case_study=isaf, actor=nato, role="lead", contribution="Command.")
    ParticipationFactory(case_study=isaf, actor=canada)
    MechanismUseFactory(case_study=isaf, mechanism=intel, description="Shared reports.")
    ChallengeEncounterFactory(case_study=isaf, challenge=politics, response="Talks.")
    sahel = CaseStudyFactory(
        title="Sahel task force",
        slug="sahel",
        summary="A European task force in the Sahel.",
        start_date=datetime.date(2020, 3, 27),
        end_date=None,
        outcome=CaseStudy.Outcome.TOO_EARLY,
    )
    sahel.regions.add(africa)
    sahel.countries.add(mali)
    sahel.sources.add(report)
    ParticipationFactory(case_study=sahel, actor=canada, role="partner")
    MechanismUseFactory(case_study=sahel, mechanism=ops)
    TopicFactory(
        title="Coalitions",
        slug="coalitions",
        body="How [[actor:nato]] led [[case-study:isaf]].",
    )


def marked(kind, status, *names):
    """Text for an unpublished entry's fields, each naming itself: DRAFTLEAK-draft-actor-name."""
    return {name: f"DRAFTLEAK-{status}-{kind}-{name}" for name in names}


def add_hidden(status):
    """An unpublished actor, mechanism, challenge, case study and topic in `status`, each tied
    to published entries wherever a page, list, count or export could show it."""
    europe = Actor._meta.get_field("region").related_model.objects.get(slug="europe")
    nato, canada = Actor.objects.get(slug="nato"), Actor.objects.get(slug="canada")
    intel = Mechanism.objects.get(slug="intel")
    politics = Challenge.objects.get(slug="politics")
    isaf = CaseStudy.objects.get(slug="isaf")
    report = Source.objects.get(slug="isaf-report")
    note = marked("link", status, "text")["text"]

    actor = StateFactory(
        slug=f"draftleak-{status}-actor",
        country_code={"draft": "XA", "in_review": "XB", "archived": "XC"}[status],
        region=europe,
        status=status,
        website=f"https://draftleak-{status}-actor.example/",
        **marked("actor", status, "name", "short_name", "summary", "body", "headquarters"),
    )
    MembershipFactory(member=actor, organisation=nato, note=note)
    MembershipFactory(member=canada, organisation=actor, note=note)
    ParticipationFactory(case_study=isaf, actor=actor, role="partner", contribution=note)
    isaf.countries.add(actor)

    mechanism = MechanismFactory(
        slug=f"draftleak-{status}-mechanism",
        parent=intel,
        status=status,
        **marked("mechanism", status, "name", "summary", "body"),
    )
    politics.mitigated_by.add(mechanism)
    MechanismUseFactory(case_study=isaf, mechanism=mechanism, description=note)
    if status == Status.DRAFT:
        # A published mechanism that is a component of a draft one. Set with update(), which
        # leaves the published row's version and dates alone, so whatever a reader sees change
        # is a leak.
        Mechanism.objects.filter(slug="liaison").update(parent=mechanism)

    challenge = ChallengeFactory(
        slug=f"draftleak-{status}-challenge",
        status=status,
        **marked("challenge", status, "name", "summary", "body"),
    )
    challenge.mitigated_by.add(intel)
    ChallengeEncounterFactory(
        case_study=isaf, challenge=challenge, manifestation=note, response=note
    )

    case = CaseStudyFactory(
        slug=f"draftleak-{status}-casestudy",
        status=status,
        featured=True,
        start_date=datetime.date(2005, 1, 1),
        end_date=datetime.date(2006, 1, 1),
        **marked("casestudy", status, "title", "summary", "body", "outcome_assessment", "lessons"),
    )
    case.regions.add(europe)
    case.countries.add(canada)
    case.sources.add(report)
    ParticipationFactory(case_study=case, actor=nato, role="lead", contribution=note)
    ParticipationFactory(case_study=case, actor=canada, contribution=note)
    MechanismUseFactory(case_study=case, mechanism=intel, description=note)
    ChallengeEncounterFactory(case_study=case, challenge=politics, manifestation=note)

    TopicFactory(
        slug=f"draftleak-{status}-topic",
        status=status,
        body=f"DRAFTLEAK-{status}-topic-body on [[actor:nato]] in [[case-study:isaf]].",
        **marked("topic", status, "title", "summary"),
    )


def staff_member(username, group_name):
    """A staff account in one of the groups the data migration defines."""
    user = get_user_model().objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def build_world():
    build_published()
    cut_release("2027.1", notes="The published world.")
    for status in HIDDEN_STATUSES:
        add_hidden(status)
    users = {
        "anonymous": None,
        "editor": staff_member("eddie", "Editors"),
        "reviewer": staff_member("rita", "Reviewers"),
        "admin": get_user_model().objects.create_superuser("ada", "ada@example.org", None),
    }
    spare = get_user_model().objects.create_user("spare")
    tokens = {role: Token.objects.create(user=user).key for role, user in users.items() if user}
    Token.objects.create(user=spare)
    cookies = {}
    for role, user in users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            cookies[role] = SimpleCookie(client.cookies)
    access = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "spare"}
    access |= {"http_accept": "*/*", "path_info": "/admin/login/"}
    return SimpleNamespace(
        users=users,
        tokens=tokens,
        cookies=cookies,
        spare_user=spare,
        spare_group=Group.objects.create(name="Spare"),
        access_attempt=AccessAttempt.objects.create(
            **access, get_data="", post_data="", failures_since_start=1
        ),
        access_log=AccessLog.objects.create(**access),
        access_failure_log=AccessFailureLog.objects.create(**access),
    )


# Bodies for the API's writes, per resource

API_CREATE = {
    "actor": {"slug": "new-actor", "name": "New actor", "kind": "ngo", "summary": "New."},
    "membership": {"member": "mali", "organisation": "nato", "role": "partner"},
    "mechanism": {"slug": "new-mechanism", "name": "New", "category": "training", "summary": "N."},
    "challenge": {"slug": "new-challenge", "name": "New", "category": "political", "summary": "N."},
    "casestudy": {
        "slug": "new-case",
        "title": "New case",
        "summary": "New.",
        "start_date": "2015-01-01",
        "regions": ["europe"],
        "outcome": "too_early",
    },
    "participation": {"case_study": "sahel", "actor": "nato", "role": "lead"},
    "mechanismuse": {"case_study": "sahel", "mechanism": "intel"},
    "challengeencounter": {"case_study": "sahel", "challenge": "secrecy"},
    "topic": {"slug": "new-topic", "title": "New topic", "summary": "N.", "body": "[[actor:nato]]"},
    "source": {"slug": "new-source", "title": "New", "publisher": "P", "kind": "news"},
    "region": {"slug": "new-region", "name": "New region"},
    "era": {
        "slug": "cold-war",
        "name": "Cold War",
        "start_date": "1947-03-12",
        "end_date": "1991-12-26",
    },
}
API_CHANGE = {
    "actor": {"summary": "Changed."},
    "membership": {"note": "Changed."},
    "mechanism": {"summary": "Changed."},
    "challenge": {"summary": "Changed."},
    "casestudy": {"summary": "Changed."},
    "participation": {"contribution": "Changed."},
    "mechanismuse": {"description": "Changed."},
    "challengeencounter": {"response": "Changed."},
    "topic": {"summary": "Changed."},
    "source": {"author": "Changed."},
    "region": {"summary": "Changed."},
    "era": {"summary": "Changed."},
}


LINK_BASENAMES = {"membership", "participation", "mechanismuse", "challengeencounter"}


def replacement(basename, obj):
    """A full representation of `obj` for PUT: the entry as it is, with one text changed."""
    if basename == "membership":
        body = {"member": obj.member.slug, "organisation": obj.organisation.slug}
    elif basename in LINK_BASENAMES:
        body = {
            "case_study": obj.case_study.slug,
            obj.linked_field: getattr(obj, obj.linked_field).slug,
        }
        body |= {"role": obj.role} if basename == "participation" else {}
    else:
        names = {
            "actor": ["slug", "name", "kind", "country_code", "summary"],
            "mechanism": ["slug", "name", "category", "summary"],
            "challenge": ["slug", "name", "category", "summary"],
            "casestudy": ["slug", "title", "summary", "start_date", "end_date", "outcome"],
            "topic": ["slug", "title", "summary", "body"],
            "source": ["slug", "title", "publisher", "kind"],
            "region": ["slug", "name"],
            "era": ["slug", "name", "start_date", "end_date"],
        }[basename]
        body = {name: getattr(obj, name) for name in names}
        body = {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in body.items()
        }
        if basename == "casestudy":
            body["regions"] = [region.slug for region in obj.regions.all()]
    return body | API_CHANGE[basename]
