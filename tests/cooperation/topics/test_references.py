"""Topics' [[kind:slug]] references to records: parsed, shown as links with the records' current
titles, and validated on save (a reference to nothing, or to a draft, is refused)."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cooperation import references
from cooperation.editorial.workflow import WorkflowError, transition
from cooperation.models import Status, Topic
from cooperation.rendering import render_with_references
from tests.factories import (
    ActorFactory,
    MechanismFactory,
    TopicFactory,
)
from tests.support.users import member_of

pytestmark = pytest.mark.django_db


class TestParsing:
    def test_reads_kind_slug_and_optional_words(self):
        found = references.parse("See [[actor:nato]] and [[case-study:isaf|the ISAF mission]].")
        assert [(r.kind, r.slug, r.label) for r in found] == [
            ("actor", "nato", ""),
            ("case-study", "isaf", "the ISAF mission"),
        ]

    @pytest.mark.parametrize(
        "text",
        [
            "[[actor:]]",
            "[[:nato]]",
            "[[actor nato]]",
            "[actor:nato]",
            "[[actor:nato",
            "[[Actor:nato]]",
            "[[actor:na to]]",
            "[[actor:nato|]]",
            "[[actor:../../etc/passwd]]",
        ],
    )
    def test_malformed_references_are_not_references(self, text):
        assert references.parse(text) == []


class TestRendering:
    def test_a_reference_is_a_link_with_the_records_current_title(self, nato):
        html, _ = render_with_references("The [[actor:nato]] led.", None)
        assert f'<a href="{nato.get_absolute_url()}"' in html
        assert "North Atlantic Treaty Organization (NATO)</a>" in html

        nato.name = "The North Atlantic Alliance"
        nato.save()
        html, _ = render_with_references("The [[actor:nato]] led.", None)
        assert "The North Atlantic Alliance (NATO)</a>" in html

    def test_the_editors_words_replace_the_title(self, nato):
        html, _ = render_with_references("[[actor:nato|the Alliance]]", None)
        assert (
            f'<a href="{nato.get_absolute_url()}" rel="noopener noreferrer">the Alliance</a>'
            in (html)
        )

    @pytest.mark.parametrize(
        ("text", "shown"),
        [
            ("[[actor:nobody]]", "[[actor:nobody]]"),
            ("[[actor:nobody|someone]]", "someone"),
            ("[[planet:mars]]", "[[planet:mars]]"),
            ("[[actor:]]", "[[actor:]]"),
            ("[[actor:nato", "[[actor:nato"),
            ("[[actor nato]]", "[[actor nato]]"),
        ],
    )
    def test_what_does_not_resolve_is_shown_as_text_not_a_link(self, nato, text, shown):
        html, referenced = render_with_references(f"Before {text} after", None)
        assert f"<p>Before {shown} after</p>" == html
        assert referenced == []

    def test_drafts_are_words_for_the_public_and_links_for_editors(self, editor):
        draft = ActorFactory(slug="secret", name="Secret actor", status=Status.DRAFT)
        public_html, public_refs = render_with_references("[[actor:secret|it]]", None)
        assert "<a" not in public_html and "Secret actor" not in public_html
        assert public_refs == []
        editor_html, _ = render_with_references("[[actor:secret|it]]", editor)
        assert draft.get_absolute_url() in editor_html

    def test_hostile_words_are_escaped(self, nato):
        html, _ = render_with_references('[[actor:nato|<script>alert("x")</script>]]', None)
        assert "<script>" not in html
        assert "&lt;script&gt;" in html

    def test_references_in_code_are_left_alone(self, nato):
        html, _ = render_with_references("Write `[[actor:nato]]` to link.", None)
        assert "<code>[[actor:nato]]</code>" in html

    def test_referenced_records_are_grouped_by_kind_once_each(self, nato, isaf):
        mechanism = MechanismFactory(slug="intelligence-sharing")
        _, referenced = render_with_references(
            "[[case-study:isaf]] [[actor:nato]] [[mechanism:intelligence-sharing]] [[actor:nato]]",
            None,
        )
        assert [(kind.key, records) for kind, records in referenced] == [
            ("actor", [nato]),
            ("mechanism", [mechanism]),
            ("case-study", [isaf]),
        ]


class TestValidation:
    def test_missing_unknown_and_unpublished_targets_are_named(self, nato):
        ActorFactory(slug="draft-actor", name="Draft actor", status=Status.DRAFT)
        topic = TopicFactory.build(
            body="[[actor:nato]] [[actor:nobody]] [[planet:mars]] [[actor:draft-actor]]"
        )
        with pytest.raises(ValidationError) as error:
            topic.full_clean()
        messages = error.value.message_dict["body"]
        assert len(messages) == 3
        assert "[[actor:nobody]]: there is no actor “nobody”." in messages
        assert any(m.startswith("[[planet:mars]]: there is no kind “planet”") for m in messages)
        assert any("[[actor:draft-actor]]" in m and "not published" in m for m in messages)

    def test_a_valid_topic_records_what_it_refers_to(self, nato, isaf):
        topic = TopicFactory(body="[[actor:nato]] and [[case-study:isaf]]")
        topic.full_clean()
        assert set(Topic.objects.referring_to(nato)) == {topic}
        assert set(Topic.objects.referring_to(isaf)) == {topic}

        topic.body = "Only [[case-study:isaf]] now."
        topic.save()
        assert not Topic.objects.referring_to(nato).exists()

    def test_publishing_is_refused_once_a_referenced_record_is_unpublished(self, nato):
        topic = TopicFactory(body="[[actor:nato]]", status=Status.IN_REVIEW)
        nato.status = Status.ARCHIVED
        nato.save()
        with pytest.raises(WorkflowError, match=r"\[\[actor:nato\]\]"):
            transition(topic, "publish", user=member_of("Reviewers", "rita"))

    def test_a_record_cannot_be_archived_while_a_published_topic_refers_to_it(self, nato):
        rita = member_of("Reviewers", "rita")
        TopicFactory(title="Alliances", body="[[actor:nato]]")
        with pytest.raises(WorkflowError, match="published topics refer to it: “Alliances”"):
            transition(nato, "archive", user=rita, comment="Withdrawn for the test.")
        nato.refresh_from_db()
        assert nato.status == Status.PUBLISHED

        Topic.objects.update(body="No references now.")
        Topic.objects.get().save()
        transition(nato, "archive", user=rita, comment="Withdrawn for the test.")
        assert nato.status == Status.ARCHIVED

    def test_the_admin_form_names_the_bad_reference_and_saves_nothing(self, admin_client, nato):
        response = admin_client.post(
            reverse("admin:cooperation_topic_add"),
            {
                "title": "Alliances",
                "slug": "alliances",
                "nav_order": 1,
                "summary": "About alliances.",
                "body": "[[actor:nato]] and [[actor:natoo]]",
            },
        )
        assert response.status_code == 200
        assert "[[actor:natoo]]: there is no actor “natoo”." in response.content.decode()
        assert not Topic.objects.exists()

    def test_a_bad_fixture_loads_nothing(self, tmp_path, nato):
        path = tmp_path / "topics.json"
        record = {"title": "T", "slug": "t", "summary": "S", "status": "published"}
        path.write_text(
            json.dumps(
                [
                    {"model": "cooperation.topic", "fields": {**record, "body": "[[actor:nato]]"}},
                    {
                        "model": "cooperation.topic",
                        "fields": {**record, "slug": "u", "title": "U", "body": "[[actor:x]]"},
                    },
                ]
            )
        )
        with pytest.raises(Exception, match=r"record 2 .*\[\[actor:x\]\]: there is no actor"):
            call_command("load_atlas", str(path), stdout=io.StringIO())
        assert not Topic.objects.exists()
