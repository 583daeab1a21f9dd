"""The releases and withdrawals resources: every release with its counts, changes and downloads;
and every entry withdrawn from the public (archived or deleted after it was published), with when
and why, for mirrors that sync with `updated_after` to delete what was withdrawn."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from cooperation import references
from cooperation.api.filters import StrictFiltersMixin, updated_after_filter
from cooperation.models import Release, Withdrawal
from cooperation.models.releases import VERSION_PATTERN
from cooperation.releases.citation import LICENCE


class ReleaseSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="This release in the API.")
    site_url = serializers.SerializerMethodField(help_text="Its page on the site.")
    previous = serializers.SlugRelatedField(slug_field="version", read_only=True)
    downloads = serializers.SerializerMethodField(
        help_text="The data package (zip) and the whole release (JSON)."
    )
    changes_url = serializers.SerializerMethodField(help_text="Its changes, record by record.")
    licence = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = [
            "version",
            "url",
            "site_url",
            "cut_at",
            "previous",
            "notes",
            "counts",
            "changes",
            "changes_url",
            "downloads",
            "licence",
        ]

    def absolute(self, path):
        return self.context["request"].build_absolute_uri(path)

    def get_url(self, release) -> str:
        return self.absolute(reverse("api:release-detail", args=[release.version]))

    def get_site_url(self, release) -> str:
        return self.absolute(release.get_absolute_url())

    def get_changes_url(self, release) -> str:
        return self.absolute(reverse("releases:changes", args=[release.version]))

    def get_downloads(self, release) -> dict[str, str]:
        return {
            kind: self.absolute(reverse("releases:download", args=[release.version, kind]))
            for kind in ("zip", "json")
        }

    def get_licence(self, release) -> dict[str, str]:
        return LICENCE


class ReleaseListSerializer(ReleaseSerializer):
    class Meta(ReleaseSerializer.Meta):
        fields = [name for name in ReleaseSerializer.Meta.fields if name != "changes"]


@extend_schema_view(
    list=extend_schema(summary="List releases", tags=["releases"]),
    retrieve=extend_schema(summary="A release", tags=["releases"]),
)
class ReleaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Numbered, frozen releases of the atlas, newest first. Any read endpoint answers from one
    with `?release=<version>`."""

    permission_classes = [permissions.AllowAny]
    record_of_change = True  # read only, documented with the one error shape (api/schema.py)
    lookup_field = "version"
    lookup_value_regex = VERSION_PATTERN
    queryset = Release.objects.select_related("previous").order_by("-cut_at", "-pk")

    def get_serializer_class(self):
        return ReleaseListSerializer if self.action == "list" else ReleaseSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.defer("changes") if self.action == "list" else queryset


class WithdrawalSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField(
        help_text="The kind of entry: actor, mechanism, challenge, case-study or topic."
    )
    withdrawn = serializers.SerializerMethodField(
        help_text="Whether it is withdrawn now (false once it is published again)."
    )

    class Meta:
        model = Withdrawal
        fields = ["kind", "slug", "name", "how", "reason", "withdrawn_at", "restored_at"]
        fields += ["withdrawn", "updated_at"]

    def get_kind(self, withdrawal) -> str:
        kind = references.kind_of(withdrawal.content_type.model_class())
        return kind.key if kind else withdrawal.content_type.model

    def get_withdrawn(self, withdrawal) -> bool:
        return withdrawal.restored_at is None


def kind_choices():
    return [(kind.key, kind.label) for kind in references.kinds()]


class WithdrawalFilterSet(StrictFiltersMixin, django_filters.FilterSet):
    updated_after = updated_after_filter()
    kind = django_filters.ChoiceFilter(
        choices=kind_choices, method="filter_kind", label="Only entries of this kind"
    )

    class Meta:
        model = Withdrawal
        fields = []

    def filter_kind(self, queryset, name, value: str):
        model = next(kind.model for kind in references.kinds() if kind.key == value)
        return queryset.filter(content_type=ContentType.objects.get_for_model(model))


@extend_schema_view(list=extend_schema(summary="List withdrawn entries", tags=["releases"]))
class WithdrawalViewSet(viewsets.GenericViewSet, viewsets.mixins.ListModelMixin):
    """Entries that were public and were withdrawn (archived or deleted), newest change first,
    with when and why; an entry published again says so (`withdrawn: false`). A mirror that syncs
    with `updated_after` deletes what it lists as withdrawn."""

    permission_classes = [permissions.AllowAny]
    record_of_change = True
    serializer_class = WithdrawalSerializer
    filterset_class = WithdrawalFilterSet

    def get_queryset(self):
        return Withdrawal.objects.select_related("content_type").order_by("-updated_at", "-pk")
