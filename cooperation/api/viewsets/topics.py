"""The topics resource."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from cooperation import references
from cooperation.api.filters import TopicFilterSet
from cooperation.api.serializers.topics import TopicInputSerializer, TopicSerializer
from cooperation.api.viewsets.base import AtlasViewSet
from cooperation.api.viewsets.workflow import WorkflowActionsMixin
from cooperation.models import Source, Topic


@extend_schema_view(
    list=extend_schema(
        summary="List topics",
        description="The atlas's analysis pages, in navigation order, each with its Markdown, "
        "the rendered HTML and the records it refers to.",
    ),
    retrieve=extend_schema(summary="A topic, with its text and the records it refers to"),
)
class TopicViewSet(WorkflowActionsMixin, AtlasViewSet):
    model = Topic
    serializer_class = TopicSerializer
    input_serializer_class = TopicInputSerializer
    filterset_class = TopicFilterSet
    csv_filename = "topics"
    csv_fields = ("slug", "title", "nav_order", "status", "summary", "site_url", "updated_at")

    @property
    def list_dependencies(self):
        # A topic shows the current titles of the records it refers to.
        return (Source, *(kind.model for kind in references.kinds()))

    def get_queryset(self):
        return super().get_queryset().prefetch_related("sources")

    def referenced_records(self, topic):
        """The records `topic` refers to that the user may see, looked up once per request."""
        key = (topic.pk, topic.version)
        if getattr(self, "_referenced", (None,))[0] != key:
            found = references.resolve_visible(references.parse(topic.body), self.user)
            self._referenced = (key, found)
        return self._referenced[1]

    def detail_validators(self, instance):
        etag, last_modified = super().detail_validators(instance)
        stamps = [
            last_modified,
            *(r.updated_at for r in self.referenced_records(instance).values()),
        ]
        return etag, max((stamp for stamp in stamps if stamp is not None), default=None)

    def etag_extra(self, instance):
        return sorted(
            (record._meta.label_lower, record.pk, record.version)
            for record in self.referenced_records(instance).values()
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "retrieve" and hasattr(self, "_referenced"):
            context["reference_records"] = self._referenced[1]
        return context
