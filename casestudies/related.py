"""Related case studies: those sharing the most actors and mechanisms with a given one.

Counting shared links over every case study grows with the data (an actor such as the United
States takes part in a large share of them). Candidates are therefore drawn, for each shared actor
and mechanism, from its most recently added case studies only (an index range scan each), and
ranked by how many links they share. For actors and mechanisms in few case studies this is exact;
for the most common ones it favours recent cases, which is what a reader wants from them anyway.
One query whatever the size of the database."""

from django.db import connections

from casestudies.models import CaseStudy, MechanismUse, Participation
from cooperation.models import Status, sees_drafts

CANDIDATES_PER_LINK = 200
RELATED_LIMIT = 5
SHOWN_FIELDS = ("id", "slug", "title")  # what the page shows of each; the rest is deferred


def _candidates(model, column, ids, exclude_pk, is_actor, quote):
    """One SELECT per linked record: its most recently added case studies but this one."""
    case_id = quote("case_study_id")
    member = (  # identifiers from model metadata, quoted; values are parameters
        f"SELECT * FROM (SELECT {case_id} AS case_id, {int(is_actor)} AS is_actor "  # noqa: S608
        f"FROM {quote(model._meta.db_table)} WHERE {quote(column)} = %s AND {case_id} <> %s "
        f"ORDER BY {case_id} DESC LIMIT %s) AS linked"
    )
    params = [value for pk in ids for value in (pk, exclude_pk, CANDIDATES_PER_LINK)]
    return [member] * len(ids), params


def related_case_studies(case_study, user):
    """Up to RELATED_LIMIT case studies visible to `user`, each annotated with `shared_actors`
    and `shared_mechanisms`, most shared first."""
    actor_ids = [link.actor_id for link in case_study.participation_set.all()]
    mechanism_ids = [link.mechanism_id for link in case_study.mechanismuse_set.all()]
    if not actor_ids and not mechanism_ids:
        return []
    # The database case studies are read from (a release's, for a page pinned to one).
    connection = connections[CaseStudy.objects.db]
    quote = connection.ops.quote_name
    actor_sql, actor_params = _candidates(
        Participation, "actor_id", actor_ids, case_study.pk, is_actor=True, quote=quote
    )
    mechanism_sql, mechanism_params = _candidates(
        MechanismUse, "mechanism_id", mechanism_ids, case_study.pk, is_actor=False, quote=quote
    )
    visibility, visibility_params = "", []
    if not sees_drafts(user, CaseStudy):  # the rule CaseStudy.objects.visible_to(user) follows
        visibility, visibility_params = (
            f"WHERE case_study.{quote('status')} = %s",
            [Status.PUBLISHED],
        )
    table = quote(CaseStudy._meta.db_table)
    shown = ", ".join(
        f"shown.{quote(CaseStudy._meta.get_field(name).column)}" for name in SHOWN_FIELDS
    )
    sql = (  # the best RELATED_LIMIT, then the fields the page shows of each
        f"SELECT {shown}, ranked.shared_actors, ranked.shared_mechanisms FROM ("  # noqa: S608
        "SELECT candidates.case_id, SUM(candidates.is_actor) AS shared_actors, "
        "COUNT(*) - SUM(candidates.is_actor) AS shared_mechanisms, COUNT(*) AS shared "
        f"FROM ({' UNION ALL '.join(actor_sql + mechanism_sql)}) AS candidates "
        f"JOIN {table} AS case_study ON case_study.{quote('id')} = candidates.case_id "
        f"{visibility} GROUP BY candidates.case_id "
        "ORDER BY COUNT(*) DESC, candidates.case_id DESC LIMIT %s"
        f") AS ranked JOIN {table} AS shown ON shown.{quote('id')} = ranked.case_id "
        "ORDER BY ranked.shared DESC, ranked.case_id DESC"
    )
    params = [*actor_params, *mechanism_params, *visibility_params, RELATED_LIMIT]
    related = list(CaseStudy.objects.raw(sql, params, using=connection.alias))
    for other in related:
        other.shared_actors, other.shared_mechanisms = (
            int(other.shared_actors),
            int(other.shared_mechanisms),
        )
        other.shared = other.shared_actors + other.shared_mechanisms
    return related
