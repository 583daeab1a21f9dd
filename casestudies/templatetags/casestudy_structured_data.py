"""The JSON-LD of a case study's page (casestudies.structured_data)."""

from django import template

from casestudies.structured_data import article
from cooperation.structured_data import script

register = template.Library()


@register.simple_tag(takes_context=True)
def case_study_json_ld(context, case_study):
    return script(article(case_study, context["request"]))
