import pytest

from tests.support.api import client_for


@pytest.fixture
def clients(api_editor, admin_user):
    return {
        "anonymous": client_for(),
        "editor": client_for(api_editor),
        "admin": client_for(admin_user),
    }
