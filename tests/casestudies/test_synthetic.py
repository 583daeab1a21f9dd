"""The synthetic data set for measurement: its shape, its markings, reproducible from a seed."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from casestudies.models import CaseStudy, Participation
from casestudies.synthetic import PREFIX, Shape, generate
from cooperation.models import Actor, Challenge, Mechanism, Source

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(
        Participation.objects.values_list("case_study__slug", "actor__slug", "role")
    ), sorted(CaseStudy.objects.values_list("slug", "start_date", "end_date", "outcome", "status"))


@pytest.mark.usefixtures("empty_database")
def test_shape_and_markings():
    counts = generate(Shape.scaled(400), seed=7)
    shape = Shape.scaled(400)
    assert counts["case_studies"] == CaseStudy.objects.count() == 400
    assert counts["actors"] == shape.actors == Actor.objects.count()
    assert 3.5 < counts["participations"] / 400 < 4.5
    assert 2.5 < counts["mechanism_uses"] / 400 < 3.5
    assert not CaseStudy.objects.exclude(slug__startswith=PREFIX).exists()
    assert not CaseStudy.objects.filter(sources=None).exists()
    # Skewed like the real thing: the most common actor takes part in far more than the median.
    per_actor = Counter(Participation.objects.values_list("actor_id", flat=True))
    frequencies = sorted(per_actor.values(), reverse=True)
    assert frequencies[0] > 10 * frequencies[len(frequencies) // 2]
    assert CaseStudy.objects.published().count() > 0.9 * 400


@pytest.mark.slow
@pytest.mark.usefixtures("empty_database")
def test_same_seed_same_data():
    generate(Shape.scaled(100), seed=3)
    first = snapshot()
    for model in (CaseStudy, Actor, Mechanism, Challenge, Source):
        model.objects.all().delete()
    generate(Shape.scaled(100), seed=3)
    assert snapshot() == first


def test_command_refuses_a_database_with_real_content(atlas):
    with pytest.raises(CommandError, match="holds real case studies"):
        call_command("generate_synthetic", "--case-studies", "10", stdout=io.StringIO())
