"""Topics in the API: their Markdown, the HTML a reader sees and the records they refer to."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation import references
from cooperation.api.serializers.fields import PUBLISHABLE_FIELDS, SiteURLField
from cooperation.api.serializers.inputs import ModelInputSerializer, VisibleSlugRelatedField
from cooperation.api.serializers.refs import SourceRefSerializer
from cooperation.models import Source, Topic
from cooperation.rendering import render_markdown


class ReferencedRecordSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The kind named in the reference, e.g. case-study.")
    slug = serializers.SlugField()
    title = serializers.CharField(help_text="The record's current title or name.")
    url = serializers.URLField(help_text="The record in this API.")
    site_url = serializers.URLField(help_text="The record's page on the site.")


class TopicListSerializer(serializers.ListSerializer):
    """Resolves the references of every topic on the page at once: one query per kind."""

    def to_representation(self, data):
        topics = list(data.all() if hasattr(data, "all") else data)
        found = [reference for topic in topics for reference in references.parse(topic.body)]
        request = self.context.get("request")
        self._context["reference_records"] = references.resolve_visible(
            found, getattr(request, "user", None)
        )
        return super().to_representation(topics)


class TopicSerializer(serializers.ModelSerializer):
    """A topic with its Markdown, the HTML a reader sees (references to records the requester
    may see become links, the rest plain words) and the records it refers to."""

    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")
    site_url = SiteURLField(source="get_absolute_url")
    body_html = serializers.SerializerMethodField(
        help_text="The body rendered and sanitised; links to records are relative to the site."
    )
    referenced_records = serializers.SerializerMethodField(
        help_text="The records the body refers to that you may see, in order of first mention."
    )
    sources = SourceRefSerializer(many=True, read_only=True)

    class Meta:
        model = Topic
        list_serializer_class = TopicListSerializer
        fields = [
            "url",
            "site_url",
            "slug",
            "title",
            "nav_order",
            "summary",
            "body",
            "body_html",
            "referenced_records",
            "sources",
            *PUBLISHABLE_FIELDS,
        ]

    def _records(self, topic):
        records = self.context.get("reference_records")
        if records is None:  # a single topic
            request = self.context.get("request")
            records = references.resolve_visible(
                references.parse(topic.body), getattr(request, "user", None)
            )
            self._context["reference_records"] = records
        return records

    def get_body_html(self, topic) -> str:
        return str(render_markdown(topic.body, self._records(topic)))

    @extend_schema_field(ReferencedRecordSerializer(many=True))
    def get_referenced_records(self, topic):
        request = self.context.get("request")
        records = self._records(topic)
        listed = []
        for kind, entries in references.grouped(references.parse(topic.body), records):
            for record in entries:
                api_url = reverse(f"api:{kind.model._meta.model_name}-detail", args=[record.slug])
                site_url = record.get_absolute_url()
                if request is not None:
                    api_url = request.build_absolute_uri(api_url)
                    site_url = request.build_absolute_uri(site_url)
                listed.append(
                    {
                        "kind": kind.key,
                        "slug": record.slug,
                        "title": str(record),
                        "url": api_url,
                        "site_url": site_url,
                    }
                )
        return listed


class TopicInputSerializer(ModelInputSerializer):
    sources = VisibleSlugRelatedField(Source, many=True, required=False)

    class Meta:
        model = Topic
        fields = ["slug", "title", "nav_order", "summary", "body", "sources"]
