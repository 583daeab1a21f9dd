"""Hostile parameters on every admin page, Django's own and other packages' included, for every
role: the admin's own answers (403, 404, the "incorrect lookup" message), never a 500."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db

# One request each, several kinds of hostility at once where the admin reads them apart.
LIST_PARAMETERS = [
    "_to_field=&q=%00&o=x.99&p=%00",
    "pk=%00&e=1",
    "id__gt=99999999999999999999",
]
CHANGE_PARAMETERS = ["_to_field=", "_to_field=%00&_changelist_filters=%00"]


def admin_urls():
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for parameters in LIST_PARAMETERS:
            yield f"{reverse(f'{name}_changelist')}?{parameters}"
        for parameters in CHANGE_PARAMETERS:
            yield f"{reverse(f'{name}_change', args=['1'])}?{parameters}"


@pytest.fixture
def accounts(atlas, editor):
    User = get_user_model()
    ActorFactory()
    reviewer = User.objects.create_user("reviewer-x", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    superuser = User.objects.create_superuser("root-x", "root@example.org", "long password 1")
    return {"editor": editor, "reviewer": reviewer, "superuser": superuser}


@pytest.mark.slow
@pytest.mark.parametrize("role", ["editor", "reviewer", "superuser"])
def test_no_admin_url_is_a_server_error(accounts, role):
    client = Client(raise_request_exception=False)
    client.force_login(accounts[role])
    errors = []
    for url in admin_urls():
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{url}: {response.status_code}")
    assert errors == []
