"""Tags for what a page says about itself to machines (cooperation.structured_data): its
canonical URL and its JSON-LD."""

from django import template

from cooperation import structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's canonical absolute URL ("" where there is no request, as on an error page)."""
    request = context.get("request")
    if request is None:
        return ""
    page = context.get("page_obj") if context.get("is_paginated") else None
    return structured_data.canonical_url(request, page.number if page is not None else None)


@register.simple_tag(takes_context=True)
def record_json_ld(context, record):
    """The JSON-LD <script> of an actor's, mechanism's, challenge's or topic's page."""
    return structured_data.script(structured_data.describe(record, context["request"]))


@register.simple_tag(takes_context=True)
def dataset_json_ld(context, *parts):
    """The JSON-LD <script> of the atlas as a Dataset, with the lists of records in `parts`
    (those the page shows) as its parts."""
    return structured_data.script(structured_data.dataset(context["request"], parts))
