"""The sources a case study and its claims cite, read in one statement.

A case study's page and its API detail show the sources of the case study and of each of its
participations, mechanisms used and challenges met. Prefetched one relation at a time, that is
four queries, and each costs the worker more to build and compile than the database takes to
answer it. Here they are one UNION ALL over the four link tables, read as Source instances and
left where `claim.sources.all()` finds them, so templates and serializers read them as before.

Sources have no drafts; which claims are shown (the ones the reader may see) is decided by the
prefetched claims this is given."""

from django.db import connections

from cooperation.models import Source


def _cited_by(position, model, citing_ids, quote):
    """The SELECT of the sources that the `model` rows with these ids cite, each row tagged with
    the model's position in the statement and the citing row's id."""
    field = model._meta.get_field("sources")
    link_table = quote(field.remote_field.through._meta.db_table)
    citing, source = quote(field.m2m_column_name()), quote(field.m2m_reverse_name())
    columns = ", ".join(f"source.{quote(column.column)}" for column in Source._meta.concrete_fields)
    placeholders = ", ".join(["%s"] * len(citing_ids))
    sql = (  # identifiers from model metadata, quoted; values are parameters
        f"SELECT {int(position)} AS cited_by, link.{citing} AS citing_id, {columns} "  # noqa: S608
        f"FROM {link_table} AS link JOIN {quote(Source._meta.db_table)} AS source "
        f"ON source.{quote(Source._meta.pk.column)} = link.{source} "
        f"WHERE link.{citing} IN ({placeholders})"
    )
    return sql, citing_ids


def _default_order(quote):
    """Source's default order, as columns of the statement's result; its id breaks ties."""
    columns = []
    for name in Source._meta.ordering:
        column = quote(Source._meta.get_field(name.lstrip("-")).column)
        columns.append(f"{column} DESC" if name.startswith("-") else column)
    return ", ".join([*columns, quote(Source._meta.pk.column)])


def _keep(instance, sources):
    """Leave `sources` where `instance.sources.all()` returns them without a query, as Django's
    prefetch_related leaves what it reads (there is no public way to fill it from elsewhere);
    changing the instance's sources through its manager clears it, as it clears a prefetch."""
    manager = instance.sources
    queryset = manager.all()
    queryset._result_cache = sources
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[manager.prefetch_cache_name] = (
        queryset
    )


def attach_cited_sources(case_study):
    """Read the sources of `case_study` and of its prefetched claims in one statement and keep
    them on each, in Source's default order."""
    citing = {case_study._meta.model: {case_study.pk: case_study}}
    for relation in case_study.revised_relations:  # its claims
        for claim in getattr(case_study, relation).all():
            citing.setdefault(type(claim), {})[claim.pk] = claim
    models = list(citing)
    quote = connections[case_study._state.db].ops.quote_name
    parts = [
        _cited_by(position, model, list(citing[model]), quote)
        for position, model in enumerate(models)
    ]
    union = " UNION ALL ".join(sql for sql, _ in parts)
    sql = f"SELECT * FROM ({union}) AS cited ORDER BY {_default_order(quote)}"  # noqa: S608
    found = {(model, pk): [] for model in models for pk in citing[model]}
    params = [param for _, part_params in parts for param in part_params]
    for source in Source.objects.raw(sql, params, using=case_study._state.db):
        found[models[source.cited_by], source.citing_id].append(source)
    for (model, pk), sources in found.items():
        _keep(citing[model][pk], sources)
