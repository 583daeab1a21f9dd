"""Dates as the sources give them: how precise each is, and the rule that an end does not come
before its start."""

from django.db import models
from django.db.models import Q


class DatePrecision(models.TextChoices):
    """How much of a date the sources actually give; the rest is filled with the first day."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def end_not_before_start(start_field, end_field, name):
    """A named database rule that an end date, when known, does not come before its start."""
    return models.CheckConstraint(
        condition=Q(**{f"{end_field}__isnull": True})
        | Q(**{f"{start_field}__isnull": True})
        | Q(**{f"{end_field}__gte": models.F(start_field)}),
        name=name,
        violation_error_message="The end date cannot be before the start date.",
    )
