"""Conditional requests: ETags and Last-Modified for lists and details, 304 for a copy that is still
current, and If-Match for updates and deletions (428 without it, 412 when the entry changed
since)."""

import hashlib

from django.db.models import Count, F, Func, IntegerField, Max, Subquery
from django.utils.http import parse_etags, parse_http_date_safe

from cooperation.api.errors import PreconditionFailed, PreconditionRequired


def make_etag(*parts):
    return f'"{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}"'


def loaded_tree(obj, ancestors=()):
    """The entry and every related record loaded with it (select_related and prefetched), each
    with its version, in the order they are shown: what the detail representation is made of."""
    key = (obj._meta.label_lower, obj.pk)
    if key in ancestors:
        return key
    ancestors = (*ancestors, key)
    children = []
    for name, related in sorted(obj._state.fields_cache.items()):
        if related is not None:
            children.append((name, loaded_tree(related, ancestors)))
    for name, items in sorted(getattr(obj, "_prefetched_objects_cache", {}).items()):
        children.append((name, [loaded_tree(item, ancestors) for item in items]))
    return (key, getattr(obj, "version", None), children)


def latest_update(obj, ancestors=()):
    key = (obj._meta.label_lower, obj.pk)
    if key in ancestors:
        return None
    ancestors = (*ancestors, key)
    related = [r for r in obj._state.fields_cache.values() if r is not None]
    for items in getattr(obj, "_prefetched_objects_cache", {}).values():
        related.extend(items)
    stamps = [getattr(obj, "updated_at", None)] + [latest_update(r, ancestors) for r in related]
    stamps = [stamp for stamp in stamps if stamp is not None]
    return max(stamps, default=None)


def table_state(model, user):
    """Scalar subqueries for the latest change and the number of a table's records the user may
    see. Any change to what they see moves one or the other: an edit or a publication stamps the
    record with the newest time, an unpublication or a deletion lowers the count. Drafts the user
    may not see count for nothing, so their edits show in neither the ETag nor Last-Modified."""
    table = model._default_manager.visible_to(user).order_by()
    latest = table.order_by("-updated_at").values("updated_at")[:1]
    count = table.annotate(rows=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    return Max(Subquery(latest)), Max(Subquery(count.values("rows")))


def list_state(queryset, user, dependencies=()):
    """One query: the latest change and count of the filtered list, and the latest change and
    size of the visible part of each table whose records the list items embed."""
    aggregates = {"last": Max("updated_at"), "count": Count("pk")}
    for index, model in enumerate(dependencies):
        aggregates[f"last_{index}"], aggregates[f"count_{index}"] = table_state(model, user)
    return queryset.order_by().aggregate(**aggregates)


def is_not_modified(request, etag, last_modified):
    """If-None-Match (weak comparison) wins; If-Modified-Since counts only without it."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        etags = [tag.removeprefix("W/") for tag in parse_etags(if_none_match)]
        return "*" in etags or etag.removeprefix("W/") in etags
    if_modified_since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE") or "")
    if if_modified_since is None or last_modified is None:
        return False
    return int(last_modified.timestamp()) <= if_modified_since


def check_if_match(request, etag):
    """Updates and deletions must name the representation they start from."""
    if_match = request.META.get("HTTP_IF_MATCH")
    if if_match is None:
        raise PreconditionRequired()
    etags = parse_etags(if_match)
    if "*" in etags:  # would match whatever is there now: no one's change would be detected
        raise PreconditionRequired(
            "If-Match: * names no version; send the ETag you last read, so no one's change is lost."
        )
    if etag not in [tag for tag in etags if not tag.startswith("W/")]:
        raise PreconditionFailed()
