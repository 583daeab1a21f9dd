"""What every record shares: timestamps and an edit version; what curated content adds: a
publication status, and the one definition of what the public may see."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class StaleEntryError(Exception):
    """The entry was changed by someone else since the version the editor started from."""


class TimeStampedModel(models.Model):
    # Defaults rather than auto_now_add/auto_now, which only save() applies: Django's own
    # `loaddata` saves raw, and the fixtures carry no timestamps.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up by one with every save; guards lost updates."
    )
    # Every change to every record is kept, with who made it and when. A model lists its
    # many-to-many fields to track in `_history_m2m_fields`.
    history = HistoricalRecords(inherit=True)

    # Which stored rows the public can see, directly or through the entry they belong to; None
    # for all of them. A change to any other row retires no public cache (cooperation.caching).
    public_rows = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()  # written with update_fields only if they name it
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


@transaction.atomic
def save_if_unchanged(instance, *, expected_version, **save_kwargs):
    """Save `instance` only if its stored version is still `expected_version`.

    The conditional UPDATE claims the row: on PostgreSQL a concurrent claim waits for this
    transaction and then finds the version moved on; SQLite serialises writers. So of two editors
    who read the same version, exactly one saves and the other gets StaleEntryError. Works the
    same on both databases, unlike select_for_update(), which SQLite ignores."""
    model = type(instance)
    claimed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleEntryError(
            f"This {model._meta.verbose_name} was changed by someone else since you opened it."
        )
    instance.version = expected_version  # save() moves it on to the claimed version
    instance.save(**save_kwargs)


class Status(models.TextChoices):
    """Where an entry is in the editorial workflow (see cooperation.editorial.workflow)."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


def sees_drafts(user, model):
    """The one rule of who sees what: everyone sees published entries, and a user who may change
    a kind of entry also sees its drafts (in review and archived entries included). Pages, the
    API, search, exports, feeds, counts and related-record lists all ask this, through
    `visible_to(user)` on a queryset or `is_visible_to(user, entry)` for one entry."""
    if user is None:
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def is_visible_to(user, entry):
    """Whether one related record (a foreign key that may point at a draft) may be shown."""
    if entry is None:
        return False
    if not isinstance(entry, PublishableModel) or entry.is_published:
        return True
    return sees_drafts(user, type(entry))


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Everything for users who may change this kind of entry, published entries otherwise."""
        return self.all() if sees_drafts(user, self.model) else self.published()


class ReferenceQuerySet(models.QuerySet):
    """Reference data (regions, eras, sources) has no drafts: everyone sees all of it."""

    def visible_to(self, user):
        return self.all()


@dataclass
class _Remembered:
    found: dict  # (model, database, slug) -> entry
    complete: bool  # every entry there is was created within, so a slug not here names none


_remembered = ContextVar("entries_found_by_slug", default=None)


@contextmanager
def slugs_remembered(complete=False):
    """Within it, an entry found by its slug is not looked up again. An import refers to the
    same sources, actors and case studies thousands of times, only to learn their primary keys,
    and a slug names the same row until the import ends (records are matched by slug, so an
    import never changes one). With `complete` (an import into an empty atlas, which remembers
    every entry it creates), a slug not remembered is not looked up either: no entry has it,
    and asking cost a query for every entry created."""
    reset = _remembered.set(_Remembered(found={}, complete=complete))
    try:
        yield
    finally:
        _remembered.reset(reset)


def remember_slug(instance):
    """Within `slugs_remembered`, `instance` (just created) is found by its slug from now on."""
    remembered = _remembered.get()
    manager = type(instance)._default_manager
    if remembered is not None and isinstance(manager, SlugManager):
        remembered.found[(type(instance), instance._state.db, instance.slug)] = instance


class SlugManager(models.Manager):
    """Looks entries up by slug, so fixtures can refer to them by a stable name."""

    def get_by_natural_key(self, slug):
        remembered = _remembered.get()
        if remembered is None:
            return self.get(slug=slug)
        key = (self.model, self.db, slug)
        if key not in remembered.found:
            if remembered.complete:
                raise self.model.DoesNotExist(f"No {self.model._meta.verbose_name} “{slug}”.")
            # DoesNotExist is not remembered: it may be created
            remembered.found[key] = self.get(slug=slug)
        return remembered.found[key]


PublishableManager = SlugManager.from_queryset(PublishableQuerySet)


ReferenceManager = SlugManager.from_queryset(ReferenceQuerySet)


class PublishableModel(TimeStampedModel):
    status = models.CharField(max_length=16, choices=Status, default=Status.DRAFT, editable=False)
    review_note = models.TextField(
        blank=True, editable=False, help_text="The reviewer's comment when sending the entry back."
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the entry was first published; kept when it is edited afterwards.",
    )

    public_rows = Q(status=Status.PUBLISHED)

    objects = PublishableManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "published_at"}
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        if exclude and "slug" in exclude:
            return
        # A slug that named a withdrawn entry keeps naming it: its URL keeps answering 410, and
        # citations of it never lead to something else.
        withdrawals = apps.get_model("cooperation", "Withdrawal").objects.of_model(type(self))
        taken = withdrawals.filter(slug=self.slug).exclude(object_id=self.pk or 0)
        if taken.exists():
            raise ValidationError(
                {
                    "slug": f"“{self.slug}” named a {self._meta.verbose_name} that was "
                    "withdrawn; its address stays with it. Choose another slug."
                }
            )

    def publication_checklist(self):
        """What publishing the entry requires, as (sentence, met) pairs: the reviewer sees them
        before publishing, and an unmet one refuses publication, wherever it is asked for (the
        workflow's buttons and actions, the API, an import)."""
        return []

    def publication_problems(self):
        """The unmet items of the checklist, as sentences."""
        return [sentence for sentence, met in self.publication_checklist() if not met]

    def linked_drafts(self):
        """Records the entry links to that the public cannot see yet (drafts, in review):
        published without them, its public page would silently lose those links. Published with
        it, they are not lost."""
        return []

    def natural_key(self):
        return (self.slug,)


def publishable_models():
    return sorted(
        (model for model in apps.get_models() if issubclass(model, PublishableModel)),
        key=lambda model: model._meta.label_lower,
    )


def visibility_class(user):
    """Which drafts the user may see, as a short tag: "public" for everyone who sees published
    entries only. It goes into every ETag and into the keys of what editors share in the cache
    (facet counts), so one class never gets another's copy."""
    if user is None or not user.is_authenticated:
        return "public"
    seen = [model._meta.label_lower for model in publishable_models() if sees_drafts(user, model)]
    return "drafts:" + ",".join(seen) if seen else "public"
