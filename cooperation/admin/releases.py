"""Releases in the admin: reviewers cut one (a number and the release notes; what it holds and
what changed are computed), and everyone on staff reads them. Nothing changes a release."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from cooperation.models import Release
from cooperation.releases.snapshot import check_follows, cut_release, next_version


class CutReleaseForm(forms.ModelForm):
    class Meta:
        model = Release
        fields = ["version", "notes"]
        help_texts = {
            "version": "YEAR.N, after the latest release: e.g. 2027.1, then 2027.2.",
            "notes": "What is new or corrected in this release, for its readers (Markdown).",
        }

    def clean_version(self):
        version = self.cleaned_data["version"]
        check_follows(version, Release.objects.order_by("-cut_at", "-pk").first(), field=None)
        return version


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    form = CutReleaseForm
    list_display = ["version", "cut_at", "cut_by", "records", "public_page"]
    readonly_fields = ["version", "cut_at", "cut_by", "notes", "counts", "changes", "digest"]
    ordering = ["-cut_at"]

    def get_changeform_initial_data(self, request):
        return {"version": next_version()}

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="records")
    def records(self, release):
        return sum(release.counts.values())

    @admin.display(description="public page")
    def public_page(self, release):
        return format_html('<a href="{}">{}</a>', release.get_absolute_url(), release.version)

    def save_model(self, request, obj, form, change):
        release = cut_release(obj.version, notes=obj.notes, user=request.user)
        # The admin goes on with the release that was cut (its page, its log entry).
        obj.pk, obj.cut_at, obj._state.adding = release.pk, release.cut_at, False
