"""Input for writes: serializers that validate as the admin does and never lose a concurrent edit,
and the fields they are made of."""

import copy
import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.limits import API_MAX_LINKS
from cooperation.models import PublishableModel, Status, save_if_unchanged

SURROGATE = re.compile("[\ud800-\udfff]")


def text_character_error(value):
    """Refused before any field looks the value up: PostgreSQL cannot even compare a null
    character, and a lone surrogate (JSON's "\\ud800") cannot be stored or even echoed back
    in an error message as UTF-8."""
    values = value if isinstance(value, list) else [value]
    texts = [item for item in values if isinstance(item, str)]
    if any("\x00" in text for text in texts):
        return "Null characters are not allowed."
    if any(not text.isascii() and SURROGATE.search(text) for text in texts):
        return "Text must be valid Unicode: lone surrogates are not allowed."
    return None


def json_type_error(field, value):
    """Input (JSON only) must have the type and length the schema gives: DRF alone would read 71
    as "71" and "1" as true, and measure a string after trimming it."""
    if value is None:
        return None  # DRF says whether null is allowed
    if isinstance(field, serializers.BooleanField):
        expected, ok = "true or false", isinstance(value, bool)
    elif isinstance(field, serializers.IntegerField):
        expected, ok = "a whole number", isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(field, serializers.ManyRelatedField | serializers.ListField):
        expected, ok = "a list", isinstance(value, list)
    elif isinstance(
        field,
        serializers.CharField
        | serializers.ChoiceField
        | serializers.DateField
        | serializers.DateTimeField
        | serializers.RelatedField,
    ):
        expected, ok = "a string", isinstance(value, str)
    else:
        return None
    if not ok:
        return f"Expected {expected}."
    max_length = getattr(field, "max_length", None)
    if isinstance(value, str) and max_length is not None and len(value) > max_length:
        # checked before DRF trims surrounding whitespace, as the schema's maxLength is
        return f"Ensure this field has no more than {max_length} characters."
    return None


STATUS_CHANGE_MESSAGE = (
    "The status changes only through the editorial workflow: POST to the entry's submit/, "
    "publish/, send-back/ or archive/ URL (with If-Match), e.g. /api/v1/actors/nato/submit/."
)


class ModelInputSerializer(serializers.ModelSerializer):
    """Input for writes: validated as the admin validates (`full_clean()`, so the model's rules
    and constraints speak), saved with `save_if_unchanged()` so a concurrent edit is never lost,
    and recorded in the entry's history under the requesting user. Publication status is not
    written here: it moves through the editorial workflow (cooperation.editorial.workflow)."""

    def get_unique_together_validators(self):
        return []  # full_clean() checks the model's constraints, with their own messages

    def get_unique_for_date_validators(self):
        return []

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF reports a body that is not an object
        errors = {
            name: [message]
            for name, field in self.fields.items()
            if name in data and not field.read_only
            for message in [text_character_error(data[name]) or json_type_error(field, data[name])]
            if message
        }
        if self.changes_status(data):
            errors["status"] = [STATUS_CHANGE_MESSAGE]
        if not errors:
            return super().to_internal_value(data)
        try:  # report the other fields' problems too
            super().to_internal_value({k: v for k, v in data.items() if k not in errors})
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict):
                errors = {**error.detail, **errors}
        raise serializers.ValidationError(errors)

    def changes_status(self, data):
        """Whether the body asks for another status than the entry has (a new entry's is
        draft). The same status, as a whole entry read and sent back has it, is no change."""
        if not issubclass(self.Meta.model, PublishableModel) or "status" not in data:
            return False
        current = Status.DRAFT if self.instance is None else self.instance.status
        return data["status"] != current

    def _split(self, attrs):
        """Validated data is keyed by model field name; many-to-many values are set after save."""
        opts = self.Meta.model._meta
        many = {name: value for name, value in attrs.items() if opts.get_field(name).many_to_many}
        return {name: value for name, value in attrs.items() if name not in many}, many

    def validate_slug(self, slug):
        instance = self.instance
        if (
            isinstance(instance, PublishableModel)
            and instance.status != Status.DRAFT
            and slug != instance.slug
        ):
            raise serializers.ValidationError(
                "This entry has left the draft stage, so its slug (and public URL) stays."
            )
        return slug

    def validate(self, attrs):
        attrs = super().validate(attrs)
        single, _ = self._split(attrs)
        candidate = self.Meta.model() if self.instance is None else copy.copy(self.instance)
        for name, value in single.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean()
        except DjangoValidationError as error:
            names = {field.source: name for name, field in self.fields.items()}
            raise serializers.ValidationError(
                {
                    names.get(name, "non_field_errors"): messages
                    for name, messages in error.message_dict.items()
                }
            ) from error
        return attrs

    def _record_user(self, instance):
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            instance._history_user = request.user

    def create(self, validated_data):
        single, many = self._split(validated_data)
        instance = self.Meta.model(**single)
        self._record_user(instance)
        instance.save()
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance

    def update(self, instance, validated_data):
        single, many = self._split(validated_data)
        for name, value in single.items():
            setattr(instance, name, value)
        self._record_user(instance)
        save_if_unchanged(instance, expected_version=self.context["expected_version"])
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance


class SlugListField(serializers.ManyRelatedField):
    """The slugs of several related records: at most API_MAX_LINKS of them, each given as text,
    looked up in one query. One at a time, DRF would spend a query per item, and 150,000 items
    would hold a worker for half a minute."""

    max_length = API_MAX_LINKS

    def to_internal_value(self, data):
        if isinstance(data, str | Mapping) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        data = list(data)
        if not data and not self.allow_empty:
            self.fail("empty")
        if len(data) > self.max_length:
            raise serializers.ValidationError(
                f"Give at most {self.max_length} slugs; this list has {len(data)}."
            )
        if not all(isinstance(slug, str) for slug in data):
            raise serializers.ValidationError("Give each record by its slug, as text.")
        child = self.child_relation
        found = {record.slug: record for record in child.get_queryset().filter(slug__in=data)}
        missing = [slug for slug in data if slug not in found]
        if missing:
            child.fail("does_not_exist", slug_name="slug", value=missing[0])
        return [found[slug] for slug in dict.fromkeys(data)]


def optional_url_field(max_length, **kwargs):
    """A URL that may be left empty, described as such (a plain URLField claims every value is
    a URI, which the empty string is not)."""
    field = serializers.URLField(max_length=max_length, allow_blank=True, **kwargs)
    return extend_schema_field(
        {
            "oneOf": [
                {"type": "string", "format": "uri", "maxLength": max_length},
                {"type": "string", "maxLength": 0},
            ]
        }
    )(field)


class VisibleSlugRelatedField(serializers.SlugRelatedField):
    """A related record named by its slug, among those the requesting user may see."""

    def __init__(self, model=None, **kwargs):
        self.model = model
        kwargs.setdefault("slug_field", "slug")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)

    @classmethod
    def many_init(cls, *args, **kwargs):
        allow_empty = kwargs.pop("allow_empty", True)
        return SlugListField(
            child_relation=cls(*args, **kwargs),
            allow_empty=allow_empty,
            **{key: kwargs[key] for key in ("required", "help_text", "read_only") if key in kwargs},
        )

    def get_queryset(self):
        request = self.context.get("request")
        return self.model._default_manager.visible_to(getattr(request, "user", None))

    def run_validation(self, data=serializers.empty):
        if data == "":  # DRF would read it as null
            raise serializers.ValidationError("Give a slug (or null where none is allowed).")
        return super().run_validation(data)
