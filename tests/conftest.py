"""Fixtures for every test. The database is built once per session: migrated, then loaded with the
atlas (tests/support/database.py says how each test gets it back)."""

import copy
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.core.management import call_command

from casestudies import facet_index
from tests.support.api import make_editor
from tests.support.database import DatabaseStates, capture
from tests.support.small_atlas import build_small_atlas
from tests.support.world import build_world

RESTORE_LOADED = pytest.StashKey()


def pytest_collection_modifyitems(config, items):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="PostgreSQL only (set DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """pytest-django's test database, with the project's fixtures loaded as a newcomer gets them."""
    with django_db_blocker.unblock():
        migrated = capture()
        call_command("load_atlas", stdout=io.StringIO())
        states = DatabaseStates(migrated, capture())

    def restore_loaded():
        with django_db_blocker.unblock():
            states.restore_loaded()

    request.config.stash[RESTORE_LOADED] = restore_loaded
    return states


def runs_committed(item):
    """Whether pytest-django runs the test outside a rolled-back transaction, and flushes after."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After pytest-django's flush that ends a committed test, the atlas comes back, so that every
    test, whatever ran before it, starts from it."""
    result = yield
    if nextitem is not None and runs_committed(item) and RESTORE_LOADED in item.config.stash:
        item.config.stash[RESTORE_LOADED]()
    return result


@pytest.fixture(scope="session")
def releases_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("releases")


@pytest.fixture(autouse=True)
def _fast_settings(settings, releases_dir):
    settings.RELEASES_DIR = str(releases_dir)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        name: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}
        for name in ("default", "throttle")
    }
    # Each test's database starts afresh; its caches must too, and the facet index held in
    # the process (the empty_database fixture changes the data without a version change).
    for each in caches.all():
        each.clear()
    facet_index.forget()


@pytest.fixture
def atlas(request, db):
    """The database with the project's own fixtures, as a newcomer gets it: loaded once per
    session, and every test's changes rolled back. Every database test starts from it; asking
    for it by name says that the test reads it, and cannot be combined with `empty_database`."""
    if "empty_database" in request.fixturenames:
        raise pytest.UsageError(f"{request.node.nodeid} asks for the atlas and for no atlas")
    if request.getfixturevalue("django_db_setup").replaced:
        raise pytest.UsageError(
            f"{request.node.nodeid} asks for the atlas in a module or class "
            "that replaced it with data of its own; move it elsewhere"
        )


def refuse_committed(request):
    if runs_committed(request.node):
        raise pytest.UsageError(
            f"{request.node.nodeid}: data built once for a module lives in a transaction that "
            "a committed test cannot see; build its own data instead"
        )


@pytest.fixture
def empty_database(db, django_db_setup):
    """The database as the migrations leave it: the atlas deleted, for this test only."""
    django_db_setup.empty()


@pytest.fixture(scope="module")
def small_atlas_of_module(django_db_setup, django_db_blocker):
    with django_db_setup.replaced_by_own_data(django_db_blocker):
        yield build_small_atlas()


@pytest.fixture
def small_atlas(request, small_atlas_of_module, db):
    """Instead of the atlas, a small one whose every row the test knows, with a draft at every
    place one could leak (tests/support/small_atlas.py). It is built once per module; each test
    gets its own copies of the objects, as fresh as the rows its transaction starts from."""
    refuse_committed(request)
    return copy.deepcopy(small_atlas_of_module)


@pytest.fixture(scope="class")
def world(django_db_setup, django_db_blocker):
    """Instead of the atlas, the access world (tests/support/world.py), built once for a class's
    tests; each test runs in a savepoint of its own."""
    with django_db_setup.replaced_by_own_data(django_db_blocker):
        yield build_world()


@pytest.fixture
def api_editor(django_user_model):
    """A staff user who may add, change and delete every content model."""
    return make_editor(django_user_model)


@pytest.fixture
def editor(django_user_model):
    """A staff user who may change every content model, and so sees drafts."""
    user = django_user_model.objects.create_user("editor", password="correct horse battery")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__startswith="change_"))
    return django_user_model.objects.get(pk=user.pk)
