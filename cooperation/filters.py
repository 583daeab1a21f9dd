"""What the site's and the API's filters share: choices limited to what the reader may see, and
the one ordering rule of every list."""

from cooperation.search import ordered_by_rank


def visible_choices(model):
    """Choices limited to what the requesting user may see, so a draft's slug is neither
    accepted nor revealed to the public."""
    return lambda request: model._default_manager.visible_to(getattr(request, "user", None))


def ordered(queryset, *, explicit, ranked, default):
    """The order of every list, on the site and in the API: the order asked for (`explicit`),
    else by relevance when `ranked` (a search), else `default`; the primary key breaks ties, so
    that pages never overlap."""
    if explicit:
        return queryset.order_by(*queryset.query.order_by, "pk")
    if ranked:
        return ordered_by_rank(queryset)
    return queryset.order_by(*default, "pk")
