import io

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Each test's database starts afresh; its cache must too.
    cache.clear()


@pytest.fixture
def atlas(db):
    """The database loaded with the project's own fixtures, as a newcomer gets it."""
    call_command("load_atlas", stdout=io.StringIO())


@pytest.fixture
def editor(django_user_model):
    """A staff user who may change every content model, and so sees drafts."""
    user = django_user_model.objects.create_user("editor", password="correct horse battery")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__startswith="change_"))
    return django_user_model.objects.get(pk=user.pk)
