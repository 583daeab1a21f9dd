"""A case study's page as a schema.org Article (cooperation.structured_data describes the other
records and the atlas). It names what the page lists, from the links the view has already
loaded for the page, and only those: the participants the reader can see (`mentions`, as
organisations) and the mechanisms used and challenges met (`about`)."""

from cooperation.structured_data import record_page, reference


def article(case_study, request):
    data = record_page(case_study, request, "Article")
    mentions = [
        reference(claim.actor, request, "Organization")
        for claim in case_study.participation_set.all()
    ]
    about = [
        reference(claim.mechanism, request, "Thing") for claim in case_study.mechanismuse_set.all()
    ] + [
        reference(claim.challenge, request, "Thing")
        for claim in case_study.challengeencounter_set.all()
    ]
    if about:
        data["about"] = about
    if mentions:
        data["mentions"] = list({each["url"]: each for each in mentions}.values())
    return data
