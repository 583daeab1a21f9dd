"""The public page cache: fast repeat reads, never stale after a change, never a draft."""

import pytest
from django.urls import reverse

from cooperation.publishing import Status
from cooperation.workflow import transition
from tests.factories import CaseStudyFactory, RegionFactory, SourceFactory

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
    case = CaseStudyFactory(title="Old title")
    get(client, reverse("casestudies:list"))
    case.title = "New title"
    case.save()
    response, html = get(client, reverse("casestudies:list"))
    assert response["X-Atlas-Cache"] == "miss"
    assert "New title" in html and "Old title" not in html


def test_a_publication_is_visible_at_once(client, admin_user):
    draft = CaseStudyFactory(title="Newly published", status=Status.DRAFT)
    draft.sources.add(SourceFactory())
    assert "Newly published" not in get(client, reverse("home"))[1]
    transition(draft, "publish", user=admin_user)
    assert "Newly published" in get(client, reverse("home"))[1]


def test_a_link_change_is_visible_at_once(client):
    case = CaseStudyFactory()
    get(client, case.get_absolute_url())
    case.regions.add(RegionFactory(name="Sahel"))
    assert "Sahel" in get(client, case.get_absolute_url())[1]


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
