"""Case studies of counterterrorism cooperation (case_studies.py), and the sourced claims that tie
each one to the actors that took part, the mechanisms used and the challenges met (claims.py).
Import from this package."""

from casestudies.models.case_studies import CaseStudy, CaseStudyQuerySet
from casestudies.models.claims import (
    ROLE_RANK,
    CaseStudyLink,
    CaseStudyLinkManager,
    CaseStudyLinkQuerySet,
    ChallengeEncounter,
    MechanismUse,
    ParticipantRole,
    Participation,
)

__all__ = [
    "ROLE_RANK",
    "CaseStudy",
    "CaseStudyLink",
    "CaseStudyLinkManager",
    "CaseStudyLinkQuerySet",
    "CaseStudyQuerySet",
    "ChallengeEncounter",
    "MechanismUse",
    "ParticipantRole",
    "Participation",
]
