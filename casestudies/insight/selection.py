"""What every insight counts from: the case studies the shared filters select that the reader may
see; and the page a counted record links to."""

from django.urls import reverse


def visible_selection(queryset, user):
    """The primary keys of the selection's case studies the user may see, as a subquery."""
    return queryset.visible_to(user).order_by().values("pk")


def page_url(route, slug):
    """The page of the record a count links to (none for a count of no record)."""
    return reverse(route, args=[slug]) if slug else ""
