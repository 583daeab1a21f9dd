"""The public page cache: fast repeat reads, never stale after a change, never a draft. And the
facet counts of the case-study list, cached per filter state for everyone who sees the same
drafts. (The API's read cache: tests/cooperation/api/test_read_cache.py.)"""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.models import CaseStudy
from cooperation.caching.versions import content_version
from cooperation.editorial.workflow import transition
from cooperation.models import Actor, Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    MembershipFactory,
    ParticipationFactory,
    RegionFactory,
    SourceFactory,
)
from tests.support.api import client_for

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    return response, response.content.decode()


def test_repeat_anonymous_reads_come_from_the_cache(client, django_assert_num_queries):
    case = CaseStudyFactory()
    first, _ = get(client, case.get_absolute_url())
    assert first["X-Atlas-Cache"] == "miss"
    with django_assert_num_queries(1):  # the content version, nothing else
        second, _ = get(client, case.get_absolute_url())
    assert second["X-Atlas-Cache"] == "hit"
    assert second.content == first.content


def test_an_edit_is_visible_at_once(client):
    case = CaseStudyFactory(title="Aaa old title")
    get(client, reverse("casestudies:list"))
    case.title = "Aaa new title"
    case.save()
    response, html = get(client, reverse("casestudies:list"))
    assert response["X-Atlas-Cache"] == "miss"
    assert "Aaa new title" in html and "Aaa old title" not in html


def test_a_publication_is_visible_at_once(client, admin_user):
    draft = CaseStudyFactory(title="Newly published", status=Status.IN_REVIEW)
    draft.sources.add(SourceFactory())
    assert "Newly published" not in get(client, reverse("home"))[1]
    transition(draft, "publish", user=admin_user)
    assert "Newly published" in get(client, reverse("home"))[1]


def test_a_link_change_is_visible_at_once(client):
    case = CaseStudyFactory()
    get(client, case.get_absolute_url())
    case.regions.add(RegionFactory(name="Sahel"))
    assert "Sahel" in get(client, case.get_absolute_url())[1]


def test_an_unpublication_is_visible_at_once(client, admin_user):
    case = CaseStudyFactory(title="Aaa soon archived")
    assert "Aaa soon archived" in get(client, reverse("casestudies:list"))[1]
    transition(case, "archive", user=admin_user, comment="Withdrawn for the test.")
    response, html = get(client, reverse("casestudies:list"))
    assert response["X-Atlas-Cache"] == "miss"
    assert "Aaa soon archived" not in html


def test_work_on_drafts_leaves_the_public_cache_warm(client, editor):
    CaseStudyFactory(title="Published case")
    draft = CaseStudyFactory(title="Draft case", status=Status.DRAFT)
    region = RegionFactory(name="Sahel")
    url = reverse("casestudies:list")
    first, _ = get(client, url)
    assert first["X-Atlas-Cache"] == "miss"
    draft.title = "Draft case, revised"
    draft.save()
    draft.regions.add(region)
    ParticipationFactory(case_study=draft, actor=ActorFactory(status=Status.DRAFT))
    CaseStudyFactory(title="Abandoned draft", status=Status.DRAFT).delete()
    response = client.get(url)
    assert response["X-Atlas-Cache"] == "hit"
    assert response.content == first.content
    client.force_login(editor)
    assert "Draft case, revised" in get(client, url)[1]


def test_hidden_links_of_a_published_case_leave_the_public_cache_warm(client, atlas):
    """A draft actor's part in a published case study, and a membership of a draft: the public
    sees neither, so their edits retire nothing it was served."""
    case = CaseStudy.objects.published().first()
    draft_actor = ActorFactory(status=Status.DRAFT)
    part = ParticipationFactory(case_study=case, actor=draft_actor, contribution="Before.")
    membership = MembershipFactory(member=draft_actor, organisation=Actor.objects.get(slug="nato"))
    url = case.get_absolute_url()
    first, _ = get(client, url)
    part.contribution = "After."
    part.save()
    membership.note = "Changed."
    membership.save()
    response = client.get(url)
    assert response["X-Atlas-Cache"] == "hit" and response.content == first.content
    draft_actor.status = Status.PUBLISHED
    draft_actor.save()
    assert client.get(url)["X-Atlas-Cache"] == "miss"
    part.contribution = "Public now."
    part.save()
    response, html = get(client, url)
    assert response["X-Atlas-Cache"] == "miss" and "Public now." in html


def test_drafts_never_enter_the_public_cache(client, editor):
    CaseStudyFactory(title="Editors draft", status=Status.DRAFT)
    client.force_login(editor)
    response, html = get(client, reverse("casestudies:list"))
    assert "Editors draft" in html
    assert "X-Atlas-Cache" not in response
    client.logout()
    response, html = get(client, reverse("casestudies:list"))
    assert response["X-Atlas-Cache"] == "miss"
    assert "Editors draft" not in html


def test_admin_pages_and_streamed_exports_are_not_page_cached(client):
    CaseStudyFactory()
    client.get("/admin/login/")
    assert "X-Atlas-Cache" not in client.get("/admin/login/")
    client.get(reverse("casestudies:export-csv"))
    assert client.get(reverse("casestudies:export-csv"))["X-Atlas-Cache"] == "miss"


# Facet counts


def outcome_counts(response):
    (outcomes,) = [facet for facet in response.context["facets"] if facet.name == "outcome"]
    return {value.value: value.count for value in outcomes.values}


@pytest.fixture
def sahel_cases(empty_database):
    sahel = RegionFactory(name="Sahel", slug="sahel")
    for outcome in ["success", "success", "failure"]:
        CaseStudyFactory(outcome=outcome).regions.add(sahel)
    CaseStudyFactory(outcome="failure", status=Status.DRAFT).regions.add(sahel)
    return sahel


def test_facet_counts_are_reused_for_the_same_filters(
    client, editor, sahel_cases, django_assert_max_num_queries
):
    client.force_login(editor)  # editors' pages are not page-cached: only the counts can be
    url = reverse("casestudies:list")
    with django_assert_max_num_queries(60) as first:
        counted = client.get(f"{url}?region=sahel&outcome=success&outcome=failure")
    # Another order, page size or spelling of the same filters: the counts come from the cache
    with django_assert_max_num_queries(len(first) - 7):
        again = client.get(f"{url}?outcome=failure&ordering=-start&region=sahel&outcome=success")
    expected = {"success": 2, "mixed": 0, "failure": 2, "too_early": 0}  # the draft counts
    assert outcome_counts(again) == outcome_counts(counted) == expected


def test_facet_counts_are_never_shared_between_editors_and_the_public(client, editor, sahel_cases):
    url = f"{reverse('casestudies:list')}?region=sahel"
    client.force_login(editor)
    assert outcome_counts(client.get(url))["failure"] == 2  # with the draft
    client.logout()
    assert outcome_counts(client.get(url))["failure"] == 1
    client.force_login(editor)
    assert outcome_counts(client.get(url))["failure"] == 2


def test_facet_counts_follow_a_change_at_once(client, editor, sahel_cases):
    url = f"{reverse('casestudies:list')}?region=sahel"
    client.force_login(editor)
    assert outcome_counts(client.get(url))["success"] == 2
    CaseStudy.objects.filter(outcome="failure", status=Status.PUBLISHED).get().delete()
    CaseStudyFactory(outcome="success").regions.add(sahel_cases)
    counts = outcome_counts(client.get(url))
    assert (counts["success"], counts["failure"]) == (3, 1)


def test_editors_counts_follow_a_draft_edit_at_once(client, editor, sahel_cases):
    url = f"{reverse('casestudies:list')}?region=sahel"
    client.force_login(editor)
    assert outcome_counts(client.get(url))["failure"] == 2
    draft = CaseStudy.objects.get(status=Status.DRAFT)
    draft.outcome = "success"
    draft.save()
    counts = outcome_counts(client.get(url))
    assert (counts["success"], counts["failure"]) == (3, 1)
    client.logout()
    counts = outcome_counts(client.get(url))
    assert (counts["success"], counts["failure"]) == (2, 1)


def write_json(path, records):
    path.write_text(json.dumps(records))
    return path


def test_an_import_is_visible_at_once_and_a_dry_run_leaves_the_cache(client, atlas, tmp_path):
    url = reverse("cooperation:actor-detail", args=["nato"])
    assert get(client, url)[0]["X-Atlas-Cache"] == "miss"
    nato = {"model": "cooperation.actor", "fields": {"slug": "nato", "summary": "Imported."}}
    call_command("import_atlas", str(write_json(tmp_path / "a.json", [nato])), "--dry-run")
    response, html = get(client, url)
    assert response["X-Atlas-Cache"] == "hit"  # nothing was written, so nothing went stale
    assert "Imported." not in html

    call_command("import_atlas", str(write_json(tmp_path / "a.json", [nato])))
    response, html = get(client, url)
    assert response["X-Atlas-Cache"] == "miss"
    assert "Imported." in html


def test_a_rejected_import_leaves_the_cache(client, atlas, tmp_path):
    url = reverse("cooperation:actor-detail", args=["nato"])
    get(client, url)
    records = [
        {"model": "cooperation.actor", "fields": {"slug": "nato", "summary": "Imported."}},
        {"model": "cooperation.actor", "fields": {"slug": "nato", "kind": "planet"}},
    ]
    with pytest.raises(CommandError):
        call_command("import_atlas", str(write_json(tmp_path / "a.json", records)))
    response, html = get(client, url)
    assert response["X-Atlas-Cache"] == "hit"
    assert "Imported." not in html


def test_an_import_changes_the_content_version_once(atlas, tmp_path):
    """However many records an import writes, the cache is retired by two updates at its end,
    not two per record (which made loading the atlas a fifth slower)."""
    records = [
        {"model": "cooperation.region", "fields": {"slug": f"region-{n}", "name": f"Region {n}"}}
        for n in range(30)
    ]
    before = content_version()
    with CaptureQueriesContext(connection) as queries:
        call_command("import_atlas", str(write_json(tmp_path / "a.json", records)))
    assert content_version() != before
    updates = [q["sql"] for q in queries if "cooperation_contentversion" in q["sql"].lower()]
    assert len([sql for sql in updates if sql.upper().startswith("UPDATE")]) == 2


PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/?region=europe&outcome=mixed",
    "/case-studies/isaf-afghanistan/",
    "/case-studies/compare/?c=isaf-afghanistan&c=five-eyes-ukusa",
    "/case-studies/statistics/?region=europe",
    "/search/?q=nato",
    "/actors/",
    "/actors/nato/",
    "/regions/europe/",
    "/eras/",
    "/codebook/",
]


def with_noise(url, noise):
    return f"{url}{'&' if '?' in url else '?'}zz={noise}&utm_source=x"


@pytest.mark.parametrize("url", PAGES)
def test_unknown_parameters_are_the_same_page_from_the_same_entry(client, atlas, url):
    first = client.get(url)
    assert first.status_code == 200 and first["X-Atlas-Cache"] == "miss"
    for noise in ["1", "2", "<random>"]:
        again = client.get(with_noise(url, noise))
        assert again["X-Atlas-Cache"] == "hit", with_noise(url, noise)
        assert again.content == first.content


def test_the_order_of_parameters_does_not_matter(client, atlas):
    first = client.get("/case-studies/?region=europe&outcome=mixed&outcome=ongoing")
    again = client.get("/case-studies/?outcome=mixed&region=europe&outcome=ongoing")
    assert again["X-Atlas-Cache"] == "hit" and again.content == first.content


def test_links_on_a_page_do_not_carry_unknown_parameters(client, atlas):
    html = client.get("/case-studies/?region=europe&zz=noise").content.decode()
    assert "region=europe" in html and "zz=noise" not in html


def test_a_different_known_value_is_a_different_page(client, atlas):
    client.get("/case-studies/?region=europe")
    assert client.get("/case-studies/?region=africa")["X-Atlas-Cache"] == "miss"
    assert client.get("/case-studies/?region=europe&page=2")["X-Atlas-Cache"] != "hit"


SIGNED_IN_ANSWERS = [
    "/search/?q=nato",
    "/regions/europe/",
    "/eras/post-9-11/",
    "/case-studies/export.csv",
    "/case-studies/isaf-afghanistan/cite.bib",
    "/api/v1/stats/network/",
    "/api/v1/case-studies/",
    "/",
]


@pytest.mark.parametrize("url", SIGNED_IN_ANSWERS)
def test_every_answer_to_a_signed_in_user_is_private(client, atlas, editor, url):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200, url
    assert "private" in response["Cache-Control"]


def test_an_api_token_user_gets_private_answers(atlas, api_editor):
    response = client_for(api_editor).get("/api/v1/stats/network/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
