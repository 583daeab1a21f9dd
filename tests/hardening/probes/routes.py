"""The URLconf's routes, walked."""

from types import SimpleNamespace

from django.urls import URLResolver, resolve


def walk(patterns, prefix="", namespace=""):
    """Every URL pattern, with its full route (as ResolverMatch.route spells it) and name."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern).removeprefix("^") if prefix else str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from walk(pattern.url_patterns, route, inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield SimpleNamespace(route=route, name=name)


def route_of(path):
    return resolve(path.split("?")[0]).route
