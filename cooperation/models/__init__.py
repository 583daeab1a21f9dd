"""The core domain: who cooperates (actors and their memberships), how (mechanisms), what gets in
the way (challenges), where and when (regions and eras), on whose word (sources), the analysis
(topics), and what every record shares (publishing: timestamps, versions, the editorial status
and the one rule of who sees what). Each subject has a module; import from this package."""

from cooperation.models.actors import (
    Actor,
    Membership,
    country_code_validator,
    wikidata_qid_validator,
)
from cooperation.models.claims import Confidence, SourcedClaim
from cooperation.models.content_version import ContentChange, ContentVersion
from cooperation.models.dates import DatePrecision, end_not_before_start
from cooperation.models.mechanisms import Challenge, Mechanism
from cooperation.models.presence import EditingPresence
from cooperation.models.publishing import (
    PublishableManager,
    PublishableModel,
    PublishableQuerySet,
    ReferenceManager,
    ReferenceQuerySet,
    SlugManager,
    StaleEntryError,
    Status,
    TimeStampedModel,
    is_visible_to,
    publishable_models,
    remember_slug,
    save_if_unchanged,
    sees_drafts,
    slugs_remembered,
    visibility_class,
)
from cooperation.models.reference import Era, Region, Source
from cooperation.models.releases import Release, ReleaseIsFrozen, ReleaseRecord
from cooperation.models.revisions import Revision
from cooperation.models.schedules import Schedule
from cooperation.models.staging import StagedImport
from cooperation.models.topics import Topic, TopicReference
from cooperation.models.versions import EntryVersion
from cooperation.models.withdrawals import Withdrawal

__all__ = [
    "Actor",
    "Challenge",
    "Confidence",
    "ContentChange",
    "ContentVersion",
    "DatePrecision",
    "EditingPresence",
    "EntryVersion",
    "Era",
    "Mechanism",
    "Membership",
    "PublishableManager",
    "PublishableModel",
    "PublishableQuerySet",
    "ReferenceManager",
    "ReferenceQuerySet",
    "Region",
    "Release",
    "ReleaseIsFrozen",
    "ReleaseRecord",
    "Revision",
    "Schedule",
    "SlugManager",
    "Source",
    "SourcedClaim",
    "StagedImport",
    "StaleEntryError",
    "Status",
    "TimeStampedModel",
    "Topic",
    "TopicReference",
    "Withdrawal",
    "country_code_validator",
    "end_not_before_start",
    "is_visible_to",
    "publishable_models",
    "remember_slug",
    "save_if_unchanged",
    "sees_drafts",
    "slugs_remembered",
    "visibility_class",
    "wikidata_qid_validator",
]
