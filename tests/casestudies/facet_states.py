"""Filter states an analyst might try, and the facet index's answer to one: shared by the
tests that compare the index with SQL."""

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import RequestFactory

from casestudies import facet_index
from casestudies.facet_index.counting import count
from casestudies.facets import count_facets
from casestudies.filters import CaseStudyFilterSet
from casestudies.models import CaseStudy
from cooperation.models import Actor, Challenge, Era, Mechanism, Region

WORDS = ["intelligence", "maritime", "sahel", "financing", "nato", "border", "cyber"]


def bound(query):
    request = RequestFactory().get("/case-studies/")
    request.user = AnonymousUser()
    filterset = CaseStudyFilterSet(
        QueryDict(query), queryset=CaseStudy.objects.published(), request=request
    )
    assert filterset.is_valid(), (query, filterset.errors)
    return filterset


def random_states(rng, number):
    """Filter states an analyst might try: one to four filters, some with several values."""
    choices = {
        "region": list(Region.objects.values_list("slug", flat=True)),
        "era": list(Era.objects.values_list("slug", flat=True)),
        "outcome": list(CaseStudy.Outcome.values),
        "lifecycle": list(CaseStudy.Lifecycle.values),
        "mechanism": list(Mechanism.objects.published().values_list("slug", flat=True)),
        "challenge": list(Challenge.objects.published().values_list("slug", flat=True)),
        "actor": list(Actor.objects.published().values_list("slug", flat=True)),
        "country": list(
            Actor.objects.published().filter(kind="state").values_list("slug", flat=True)
        ),
        "actor_kind": list(Actor.Kind.values),
        "year_from": [str(year) for year in range(1990, 2026, 3)],
        "year_to": [str(year) for year in range(1995, 2026, 3)],
        "q": WORDS,
    }
    single = {"year_from", "year_to", "q"}
    for _ in range(number):
        query = QueryDict(mutable=True)
        for name in rng.sample(sorted(choices), rng.randint(1, 4)):
            picks = 1 if name in single else rng.choice([1, 1, 2, 3])
            query.setlist(name, rng.sample(choices[name], min(picks, len(choices[name]))))
        yield query.urlencode()


def index_answer(query):
    filterset = bound(query)
    snapshot = facet_index.current_snapshot()
    cleaned = filterset.form.cleaned_data
    words = cleaned.get("q")
    matches = facet_index.search_matches(words) if words else None
    facets, result = count(snapshot, cleaned, matches)
    return filterset, facets, set(snapshot.pks[result].tolist())


ORDERINGS = ["", "title", "-title", "start", "-start", "updated", "-updated"]


def answers_as_sql(queries, rng):
    """Assert that the index answers each of `queries`, in an order picked at random, as SQL
    does: facets, result and its order. Returns how many it could order (not those ranked by
    relevance to search words, which only the database ranks)."""
    ordered = 0
    for query in queries:
        query += f"&ordering={rng.choice(ORDERINGS)}"
        filterset, facets, result = index_answer(query)
        assert facets == count_facets(filterset, AnonymousUser()), query
        in_sql = list(filterset.qs.values_list("pk", flat=True))
        assert result == set(in_sql), query
        found = facet_index.answer(filterset, AnonymousUser())
        if found.ordered_pks is not None:
            assert found.ordered_pks.tolist() == in_sql, query
            ordered += 1
    return ordered
