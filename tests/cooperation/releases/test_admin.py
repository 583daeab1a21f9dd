"""Releases in the admin: a reviewer cuts one from a number and notes; an editor may only read
them; nobody changes or deletes one."""

import pytest
from django.urls import reverse

from cooperation.models import Release
from tests.support.users import member_of

pytestmark = pytest.mark.django_db


def test_a_reviewer_cuts_a_release_and_nobody_changes_it(client, small_atlas):
    client.force_login(member_of("Reviewers", "rita"))
    add = reverse("admin:cooperation_release_add")
    form = client.get(add)
    assert form.context["adminform"].form.initial["version"].endswith(".1")
    response = client.post(add, {"version": "2027.1", "notes": "The first release."})
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.cut_by.username == "rita" and release.counts["casestudies.casestudy"] == 2
    refused = client.post(add, {"version": "2026.9", "notes": "Too late."})
    assert "would not come after 2027.1" in refused.content.decode()
    change = client.get(reverse("admin:cooperation_release_change", args=[release.pk]))
    assert change.status_code == 200 and b'name="notes"' not in change.content  # read only
    delete = client.get(reverse("admin:cooperation_release_delete", args=[release.pk]))
    assert delete.status_code == 403


def test_an_editor_reads_releases_but_cannot_cut_one(client, small_atlas):
    client.force_login(member_of("Editors", "eddie"))
    assert client.get(reverse("admin:cooperation_release_changelist")).status_code == 200
    assert client.get(reverse("admin:cooperation_release_add")).status_code == 403
