"""Lost-update protection in the admin, for an entry and for the links edited in its inlines:
every form carries the version of the row it was opened on, a save from an older version is
refused with a message naming who changed what since, and the save itself claims the version
(`save_if_unchanged`), so two saves that pass the check at once still have one winner."""

from django import forms
from django.db.models import F

from cooperation.editorial.changes import changes_since
from cooperation.models import StaleEntryError, save_if_unchanged

STALE_MESSAGE = (
    "Someone else saved this entry after you opened it, so your changes were not saved. "
    "Reload the page to see their version, then make your changes again."
)


def stale_message(model, pk, opened_version):
    """What happened to the row since the editor opened `opened_version` of it, in the admin's
    words."""
    label = model._meta.verbose_name
    since = changes_since(model, pk, opened_version)
    if since is None:
        return f"Someone else deleted this {label} after you opened it; nothing was saved."
    return (
        f"Someone else saved this entry after you opened it: {since}. Your changes were not "
        "saved. Reload the page to see their version, then make your changes again."
    )


class VersionedModelForm(forms.ModelForm):
    """Carries the row's version from the moment the form was opened."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_version = None
        if self.instance.pk is not None:
            # Read from the database once per form (a revert form's instance is an old
            # version). A bound form gets it as its initial value too, so that an unchanged
            # inline row whose version is current does not count as changed.
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk)
            self.stored_version = current.values_list("version", flat=True).first()
            self.initial["expected_version"] = self.stored_version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk is not None and self.stored_version != expected:
            raise forms.ValidationError(
                stale_message(type(self.instance), self.instance.pk, expected), code="stale"
            )
        return cleaned


def with_expected_version(fieldsets):
    """The fieldsets with the hidden version in the first, so that the form sends it back."""
    first_name, first_options = fieldsets[0]
    fields = list(first_options["fields"])
    if "expected_version" not in fields:
        fields.append("expected_version")
    return [(first_name, {**first_options, "fields": fields}), *fieldsets[1:]]


class VersionedInlineMixin:
    """An inline whose rows are checked and saved as the entry itself is."""

    form = VersionedModelForm

    def get_fieldsets(self, request, obj=None):
        return with_expected_version(super().get_fieldsets(request, obj))


def save_formset_if_unchanged(formset):
    """Saves an inline formset's rows, each changed or deleted row only if its version is still
    the one its form was opened on (StaleEntryError otherwise, and the admin's transaction rolls
    back)."""
    expected = {
        form.instance.pk: form.cleaned_data.get("expected_version")
        for form in formset.initial_forms
        if form.instance.pk is not None and hasattr(form, "cleaned_data")
    }
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        model = type(obj)
        claimed = model._default_manager.filter(pk=obj.pk, version=expected.get(obj.pk))
        if not claimed.update(version=F("version") + 1):
            raise StaleEntryError(stale_message(model, obj.pk, expected.get(obj.pk)))
        obj.delete()
    for obj in instances:
        if obj.pk in expected:
            save_if_unchanged(obj, expected_version=expected[obj.pk])
        else:
            obj.save()
    formset.save_m2m()
