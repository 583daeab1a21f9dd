"""Clients and accounts for the API tests, the API's one error shape, and its answers read."""

import csv
import io

from django.contrib.auth.models import Permission
from django.db.models import Q
from rest_framework.test import APIClient

CONTENT_APPS = ("cooperation", "casestudies")

# Every resource the API root lists, in its order.
RESOURCES = [
    "actors",
    "memberships",
    "mechanisms",
    "challenges",
    "case-studies",
    "participations",
    "mechanism-uses",
    "challenge-encounters",
    "topics",
    "sources",
    "regions",
    "eras",
]
# The resources about the atlas's history rather than its records: read only, no CSV.
RECORD_OF_CHANGE = ["releases", "withdrawals"]


def client_for(user=None, **kwargs):
    client = APIClient(**kwargs)
    if user is not None:
        client.force_authenticate(user)
    return client


def make_editor(django_user_model, username="api-editor", *, publishes=False):
    """A staff user who may add, change and delete every content model (and so sees drafts);
    with `publishes`, also review it, so that their changes to published entries go live at
    once instead of waiting for review (cooperation.editorial.revisions)."""
    user = django_user_model.objects.create_user(username, password="correct horse battery")
    user.is_staff = True
    user.save()
    rights = (
        Q(codename__startswith="add_")
        | Q(codename__startswith="change_")
        | Q(codename__startswith="delete_")
        | Q(codename__startswith="view_")
    )
    if publishes:
        rights |= Q(codename__startswith="review_")
    user.user_permissions.set(
        Permission.objects.filter(rights, content_type__app_label__in=CONTENT_APPS)
    )
    return django_user_model.objects.get(pk=user.pk)


def make_reader(django_user_model, username="api-reader"):
    """Signed in, with no permissions at all: sees what the public sees."""
    return django_user_model.objects.create_user(username, password="correct horse battery")


def error_of(response):
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]


def get_json(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, response.content
    return response.json()


def slugs(body, key="slug"):
    return [item[key] for item in body["results"]]


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
