"""Autocomplete widgets and fields that accept only well-formed keys, so a hostile value is a 404 or
a form error, never a database error."""

from django import forms
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.http import Http404


def key_or_404(field, value):
    """`value` from a URL as the primary key `field` holds, or 404 (not a server error) when it
    cannot be one, as Django's own change view does."""
    try:
        return field.to_python(unquote(value))
    except ValidationError as error:
        raise Http404 from error


def is_key(target, value):
    """Whether `value` (as submitted) can be a value of the key field `target` at all: Django
    looks submitted keys up with `__in`, which fails, rather than finds nothing, for "abc" or
    a number past 64 bits."""
    try:
        key = target.to_python(value)
    except ValidationError:
        return False
    if not isinstance(key, int):
        return True
    ops = connections[router.db_for_read(target.model)].ops
    low, high = ops.integer_field_range(target.get_internal_type())
    return (low is None or key >= low) and (high is None or key <= high)


class KeysOnlyAutocompleteMixin:
    """Django's autocomplete widget looks the submitted values up to show them again; one that
    cannot be a key (typed by hand) names nothing, so it is left out rather than failing the
    page that reports the form's errors."""

    def optgroups(self, name, value, attr=None):
        keys = [item for item in value if is_key(self.field.target_field, item)]
        return super().optgroups(name, keys, attr)


class LabelledAutocompleteMixin:
    """Names Select2's own boxes after the field's label (static/js/admin-autocomplete-labels.js),
    which Select2 leaves unnamed."""

    @property
    def media(self):
        return super().media + forms.Media(js=["js/admin-autocomplete-labels.js"])


class KeysOnlyAutocompleteSelect(
    LabelledAutocompleteMixin, KeysOnlyAutocompleteMixin, AutocompleteSelect
):
    pass


class KeysOnlyAutocompleteSelectMultiple(
    LabelledAutocompleteMixin, KeysOnlyAutocompleteMixin, AutocompleteSelectMultiple
):
    def build_attrs(self, base_attrs, extra_attrs=None):
        # Each chosen value has its own remove button; Select2's "remove all" is put inside the
        # list of choices, which a list may not hold (axe-core: list).
        return {**super().build_attrs(base_attrs, extra_attrs), "data-allow-clear": "false"}


class KeysOnlyModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        opts = self.queryset.model._meta
        target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for item in value:
            if not is_key(target, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


class AutocompleteKeysMixin:
    """For admins and inlines: autocomplete fields that refuse what cannot be a key."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlyAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlyAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
            kwargs.setdefault("form_class", KeysOnlyModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
