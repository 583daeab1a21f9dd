"""Who changed a record, and what, since a given version: what a refused save tells its writer,
in the admin and in imports."""

from django.utils import timezone

# Bookkeeping that changes with every save, not worth naming.
UNNAMED_FIELDS = {"version", "updated_at", "created_at"}


def changes_since(model, pk, version):
    """ "eddie saved the participation “NATO in ISAF” at 02 Dec 2026 13:05, changing
    contribution", from the record's history; None if the record is gone."""
    current = model._default_manager.filter(pk=pk).first()
    if current is None:
        return None
    history = current.history.order_by("-history_id")
    latest = history.first()
    if latest is None:
        return f"someone else saved the {model._meta.verbose_name} “{current}”"
    opened = history.filter(version=version).first() if version is not None else None
    who = latest.history_user or "someone else"
    when = timezone.localtime(latest.history_date).strftime("%d %b %Y %H:%M")
    changed = ""
    if opened is not None:
        names = set(latest.diff_against(opened).changed_fields) - UNNAMED_FIELDS
        if names:
            labels = [str(model._meta.get_field(name).verbose_name) for name in sorted(names)]
            changed = f", changing {', '.join(labels)}"
    return f"{who} saved the {model._meta.verbose_name} “{current}” at {when}{changed}"
