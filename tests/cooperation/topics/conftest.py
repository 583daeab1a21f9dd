"""The topics tests' records: NATO, and a case study on ISAF that a topic can refer to."""

import pytest

from tests.factories import ActorFactory, CaseStudyFactory


@pytest.fixture
def nato(empty_database):
    return ActorFactory(name="North Atlantic Treaty Organization", short_name="NATO", slug="nato")


@pytest.fixture
def isaf(empty_database):
    return CaseStudyFactory(title="ISAF in Afghanistan", slug="isaf")
