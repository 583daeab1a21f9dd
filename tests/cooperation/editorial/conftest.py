"""The editorial tests' people: Eddie, an editor, and Rita, a reviewer (with mail addresses, for
the notifications)."""

import pytest

from tests.support.users import member_of


@pytest.fixture
def eddie(db):
    """An editor."""
    return member_of("Editors", "eddie", email="eddie@atlas.test")


@pytest.fixture
def rita(db):
    """A reviewer."""
    return member_of("Reviewers", "rita", email="rita@atlas.test")
