"""The source form: a slug made from the title when none is given (or the admin's script cut
the title mid-word), ending with a whole word, and a warning before a second entry for a source
the atlas already has (same URL or title)."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify

from cooperation.admin.conflicts import VersionedModelForm
from cooperation.models import Source

SLUG_HELP = "Leave it empty to make one from the title (whole words only)."


def slug_from_title(title, max_length, taken=lambda slug: False):
    """The title as a slug of at most `max_length` characters, cut after a whole word, with
    "-2", "-3"... when `taken(slug)` says the slug is in use."""
    slug = slugify(title)
    if len(slug) > max_length:
        # One character more shows whether the cut falls between words; then drop the part
        # of a word after the last hyphen (a single word too long is cut as it is).
        head = slug[: max_length + 1]
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:max_length]
    candidate, number = slug, 2
    while taken(candidate):
        suffix = f"-{number}"
        candidate = slug[: max_length - len(suffix)].rstrip("-") + suffix
        number += 1
    return candidate


class SourceForm(VersionedModelForm):
    confirm_distinct = forms.BooleanField(
        required=False,
        label="This is a different source",
        help_text="Tick to save although the atlas has a source with the same URL or title.",
    )

    class Meta:
        model = Source
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = SLUG_HELP

    def clean(self):
        cleaned = super().clean()
        title = cleaned.get("title") or ""
        if "slug" in self.fields and title and self.slug_to_make(cleaned.get("slug"), title):
            max_length = Source._meta.get_field("slug").max_length
            others = Source.objects.exclude(pk=self.instance.pk)
            cleaned["slug"] = slug_from_title(
                title, max_length, lambda slug: others.filter(slug=slug).exists()
            )
            self.instance.slug = cleaned["slug"]
        duplicates = self.possible_duplicates(cleaned)
        if duplicates and not cleaned.get("confirm_distinct"):
            links = format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                (
                    (reverse("admin:cooperation_source_change", args=[source.pk]), str(source))
                    for source in duplicates
                ),
            )
            raise forms.ValidationError(
                format_html(
                    "The atlas may have this source already: {}. Use that one, or tick “This "
                    "is a different source” to save this one too.",
                    links,
                ),
                code="possible_duplicate",
            )
        return cleaned

    @staticmethod
    def slug_to_make(slug, title):
        """Whether the slug is to be made from the title: none was given, or it is the title
        cut off mid-word (as the admin's script cuts a long title)."""
        if not slug:
            return True
        whole = slugify(title)
        return len(slug) < len(whole) and whole.startswith(slug) and whole[len(slug)] != "-"

    def possible_duplicates(self, cleaned):
        url, title = cleaned.get("url"), cleaned.get("title")
        same = Source.objects.none()
        if url:
            same |= Source.objects.filter(url=url)
        if title:
            same |= Source.objects.filter(title__iexact=title.strip())
        return list(same.exclude(pk=self.instance.pk).order_by("title")[:5])
