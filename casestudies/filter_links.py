"""Links that change one value of the case-study list's query: the chips that remove a chosen
filter, the facet pages' values that add or remove one. Each keeps every other parameter (the
other filters, the ordering, the compare picks) and starts again at the first page."""

from dataclasses import dataclass

from django.urls import reverse

LIST_URL_NAME = "casestudies:list"


def list_url(query):
    """The case-study list with `query` (a QueryDict), without a page number."""
    query = query.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return reverse(LIST_URL_NAME) + (f"?{encoded}" if encoded else "")


def toggled(query, name, value):
    """`query` with `value` added to parameter `name`, or removed if it is there already."""
    query = query.copy()
    values = query.getlist(name)
    query.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    return query


@dataclass(frozen=True)
class Chip:
    """A filter in force, as the list shows it above the results: its words and the link that
    takes it away."""

    label: str
    remove_url: str


def chips(query, facets, cleaned):
    """The filters in force: the search words, each chosen facet value, the countries, the
    years. Only what
    the filters understood (a value they rejected is reported apart and has no chip)."""
    found = []
    if cleaned.get("q"):
        found.append(Chip(f"Search: {cleaned['q']}", list_url(_without_parameter(query, "q"))))
    for facet in facets:
        for value in facet.values:
            if value.selected:
                found.append(
                    Chip(
                        f"{facet.label}: {value.label}",
                        list_url(toggled(query, facet.name, value.value)),
                    )
                )
    # A country (from the map) is a filter without a sidebar facet: its chip is the way back.
    for state in cleaned.get("country") or []:
        found.append(
            Chip(f"Country: {state.name}", list_url(toggled(query, "country", state.slug)))
        )
    for name, words in (("year_from", "From"), ("year_to", "To")):
        if cleaned.get(name) is not None:
            found.append(
                Chip(f"{words} {cleaned[name]}", list_url(_without_parameter(query, name)))
            )
    return found


def _without_parameter(query, name):
    query = query.copy()
    query.pop(name, None)
    return query
