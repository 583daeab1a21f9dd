"""The admin's URLs for one entry, as the editorial tests open them."""

from django.urls import reverse


def change_url(entry):
    opts = entry._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])


def workflow_url(entry, name):
    """Where the form of the workflow step (or change step) `name` posts."""
    opts = entry._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_workflow", args=[entry.pk, name])
