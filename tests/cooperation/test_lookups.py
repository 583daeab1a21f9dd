"""`any_of` finds what `in` finds, on either database, by a foreign key or a plain field."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.models import CaseStudy, Participation

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("atlas")
def test_any_of_finds_what_in_finds():
    ids = list(CaseStudy.objects.order_by("pk").values_list("pk", flat=True)[:40:3])
    by_key = Participation.objects.order_by("pk").values_list("pk", flat=True)
    assert list(by_key.filter(case_study_id__any_of=ids)) == list(
        by_key.filter(case_study_id__in=ids)
    )
    slugs = ["no-such-slug", *CaseStudy.objects.filter(pk__in=ids).values_list("slug", flat=True)]
    assert set(CaseStudy.objects.filter(slug__any_of=slugs)) == set(
        CaseStudy.objects.filter(pk__in=ids)
    )
    assert not CaseStudy.objects.filter(pk__any_of=[])


@pytest.mark.usefixtures("atlas")
def test_any_of_sends_one_parameter_on_postgresql():
    ids = list(CaseStudy.objects.values_list("pk", flat=True)[:30])
    with CaptureQueriesContext(connection) as queries:
        list(CaseStudy.objects.filter(pk__any_of=ids))
    (sql,) = [query["sql"] for query in queries.captured_queries]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
