"""Topics: analysis pages whose text refers to records with [[kind:slug]] references, shown as
links with the records' current titles, validated on save, with backlinks both ways."""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cooperation import references
from cooperation.editorial.workflow import WorkflowError, transition
from cooperation.models import Status, Topic
from cooperation.rendering import render_with_references
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeFactory,
    MechanismFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def nato(empty_database):
    return ActorFactory(name="North Atlantic Treaty Organization", short_name="NATO", slug="nato")


@pytest.fixture
def isaf(empty_database):
    return CaseStudyFactory(title="ISAF in Afghanistan", slug="isaf")


def reviewer(django_user_model):
    user = django_user_model.objects.create_user("rita", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"))
    return django_user_model.objects.get(pk=user.pk)


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

    def test_publishing_is_refused_once_a_referenced_record_is_unpublished(
        self, django_user_model, nato
    ):
        topic = TopicFactory(body="[[actor:nato]]", status=Status.IN_REVIEW)
        nato.status = Status.ARCHIVED
        nato.save()
        with pytest.raises(WorkflowError, match=r"\[\[actor:nato\]\]"):
            transition(topic, "publish", user=reviewer(django_user_model))

    def test_a_record_cannot_be_archived_while_a_published_topic_refers_to_it(
        self, django_user_model, nato
    ):
        rita = reviewer(django_user_model)
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


class TestPages:
    def test_topic_page_links_its_records_and_lists_them_by_kind(self, client, nato, isaf):
        source = SourceFactory(title="Alliance report")
        topic = TopicFactory(
            title="Alliances", body="## Why\n\n[[actor:nato]] ran [[case-study:isaf]]."
        )
        topic.sources.add(source)
        html = client.get(topic.get_absolute_url()).content.decode()
        assert f'<a href="{nato.get_absolute_url()}" rel="noopener noreferrer">' in html
        assert "<h2>Why</h2>" in html
        assert "Records this topic refers to" in html
        assert "<h3>Actors</h3>" in html and "<h3>Case studies</h3>" in html
        assert "Alliance report" in html

    @pytest.mark.parametrize("make", [ActorFactory, MechanismFactory, ChallengeFactory])
    def test_record_pages_list_the_topics_that_refer_to_them(self, client, editor, make):
        record = make()
        kind = references.kind_of(type(record)).key
        topic = TopicFactory(title="Referring topic", body=f"[[{kind}:{record.slug}]]")
        draft = TopicFactory(title="Draft topic", body=f"[[{kind}:{record.slug}]]")
        Topic.objects.filter(pk=draft.pk).update(status=Status.DRAFT)
        TopicFactory(title="Unrelated topic")

        html = client.get(record.get_absolute_url()).content.decode()
        assert "Discussed in these topics" in html
        assert topic.get_absolute_url() in html
        assert "Draft topic" not in html and "Unrelated topic" not in html

        client.force_login(editor)
        html = client.get(record.get_absolute_url()).content.decode()
        assert "Draft topic" in html

    def test_case_study_page_lists_the_topics_that_refer_to_it(self, client, isaf):
        topic = TopicFactory(title="Afghanistan", body="[[case-study:isaf]]")
        html = client.get(isaf.get_absolute_url()).content.decode()
        assert f'<a href="{topic.get_absolute_url()}">Afghanistan</a>' in html

    def test_topics_are_in_the_navigation_in_their_order(self, client):
        TopicFactory(title="Second", nav_order=2)
        TopicFactory(title="First", nav_order=1)
        home = client.get(reverse("home")).content.decode()
        assert f'href="{reverse("cooperation:topic-list")}">Topics</a>' in home
        listing = client.get(reverse("cooperation:topic-list")).content.decode()
        assert listing.index("First") < listing.index("Second")

    def test_drafts_are_never_public(self, client, editor):
        draft = TopicFactory(title="Unpublished analysis", slug="unpublished", status=Status.DRAFT)
        assert client.get(draft.get_absolute_url()).status_code == 404
        for url in [
            reverse("home"),
            reverse("cooperation:topic-list"),
            reverse("search") + "?q=unpublished",
            reverse("sitemap"),
            reverse("topic-feed"),
            reverse("api:topic-list"),
        ]:
            assert "Unpublished analysis" not in client.get(url).content.decode(), url
            assert "/topics/unpublished/" not in client.get(url).content.decode(), url
        assert client.get(reverse("api:topic-detail", args=["unpublished"])).status_code == 404

        client.force_login(editor)
        assert client.get(draft.get_absolute_url()).status_code == 200

    def test_published_topics_are_in_search_sitemap_and_feed(self, client):
        topic = TopicFactory(title="Technology and cooperation", slug="technology")
        assert topic.get_absolute_url() in client.get(reverse("sitemap")).content.decode()
        assert topic.get_absolute_url() in client.get(reverse("topic-feed")).content.decode()
        results = client.get(reverse("search"), {"q": "technology"}).content.decode()
        assert f'href="{topic.get_absolute_url()}"' in results


class TestQueryCounts:
    def test_topic_page_costs_the_same_however_many_references(
        self, client, django_assert_max_num_queries
    ):
        small = TopicFactory(body="[[actor:a0]]", slug="small")
        ActorFactory(slug="a0")
        small.save()
        actors = [ActorFactory(slug=f"a{n}").slug for n in range(1, 15)]
        mechanisms = [MechanismFactory().slug for _ in range(10)]
        cases = [CaseStudyFactory().slug for _ in range(10)]
        body = " ".join(
            [f"[[actor:{s}]]" for s in actors]
            + [f"[[mechanism:{s}]]" for s in mechanisms]
            + [f"[[case-study:{s}]]" for s in cases]
        )
        large = TopicFactory(body=body, slug="large")
        for _ in range(8):
            large.sources.add(SourceFactory())
        with django_assert_max_num_queries(20) as few:
            client.get(small.get_absolute_url())
        with django_assert_max_num_queries(len(few) + 2):  # two more kinds referred to
            assert client.get(large.get_absolute_url()).status_code == 200

    def test_record_page_costs_the_same_however_many_topics_refer_to_it(
        self, client, django_assert_max_num_queries, nato
    ):
        TopicFactory(body="[[actor:nato]]")
        with django_assert_max_num_queries(30) as few:
            client.get(nato.get_absolute_url())
        for _ in range(10):
            TopicFactory(body="[[actor:nato]]")
        with django_assert_max_num_queries(len(few)):
            assert client.get(nato.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize("url_name", ["cooperation:topic-list", "api:topic-list"])
    def test_lists_cost_the_same_however_many_topics(
        self, client, django_assert_max_num_queries, nato, isaf, url_name
    ):
        TopicFactory(body="[[actor:nato]] [[case-study:isaf]]")
        with django_assert_max_num_queries(30) as few:
            client.get(reverse(url_name))
        for _ in range(12):
            TopicFactory(body="[[actor:nato]] [[case-study:isaf]]").sources.add(SourceFactory())
        with django_assert_max_num_queries(len(few)):
            assert client.get(reverse(url_name)).status_code == 200


class TestAPI:
    def test_a_topic_has_its_markdown_html_and_referenced_records(self, client, nato, isaf):
        TopicFactory(slug="alliances", body="[[actor:nato|The Alliance]] in [[case-study:isaf]]")
        data = client.get(reverse("api:topic-detail", args=["alliances"])).json()
        assert data["body"] == "[[actor:nato|The Alliance]] in [[case-study:isaf]]"
        assert f'<a href="{nato.get_absolute_url()}"' in data["body_html"]
        assert [(r["kind"], r["slug"], r["title"]) for r in data["referenced_records"]] == [
            ("actor", "nato", str(nato)),
            ("case-study", "isaf", "ISAF in Afghanistan"),
        ]
        assert data["referenced_records"][0]["url"].endswith(
            reverse("api:actor-detail", args=["nato"])
        )

    def test_renaming_a_referenced_record_changes_the_etag(self, client, nato):
        TopicFactory(slug="alliances", body="[[actor:nato]]")
        url = reverse("api:topic-detail", args=["alliances"])
        etag = client.get(url)["ETag"]
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304
        nato.name = "Renamed alliance"
        nato.save()
        response = client.get(url, headers={"if-none-match": etag})
        assert response.status_code == 200
        assert "Renamed alliance" in response.json()["body_html"]

    def test_filter_by_referenced_record(self, client, nato, isaf):
        about_nato = TopicFactory(body="[[actor:nato]]")
        TopicFactory(body="[[case-study:isaf]]")
        found = client.get(reverse("api:topic-list"), {"refers_to": "actor:nato"}).json()
        assert [t["slug"] for t in found["results"]] == [about_nato.slug]
        refused = client.get(reverse("api:topic-list"), {"refers_to": "planet:mars"})
        assert refused.status_code == 400
        assert "refers_to" in refused.json()["error"]["fields"]

    def test_writing_a_bad_reference_is_refused_and_changes_nothing(
        self, client, django_user_model, nato
    ):
        client.force_login(reviewer(django_user_model))
        response = client.post(
            reverse("api:topic-list"),
            {"slug": "t", "title": "T", "summary": "S", "body": "[[actor:nato]] [[actor:gone]]"},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["error"]["fields"]["body"] == [
            "[[actor:gone]]: there is no actor “gone”."
        ]
        assert not Topic.objects.exists()

        created = client.post(
            reverse("api:topic-list"),
            {"slug": "t", "title": "T", "summary": "S", "body": "[[actor:nato]]"},
            content_type="application/json",
        )
        assert created.status_code == 201
        assert created.json()["status"] == "draft"


class TestAdmin:
    def test_preview_renders_the_unsaved_text_and_its_problems(self, admin_client, nato):
        response = admin_client.post(
            reverse("admin:cooperation_topic_preview"),
            {"title": "Draft title", "summary": "S", "body": "[[actor:nato]] [[actor:gone]]"},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert f'<a href="{nato.get_absolute_url()}"' in html
        assert "[[actor:gone]]: there is no actor “gone”." in html
        assert not Topic.objects.exists()

    def test_preview_needs_the_right_to_edit_topics(self, client, django_user_model):
        assert client.post(reverse("admin:cooperation_topic_preview"), {}).status_code == 302
        clerk = django_user_model.objects.create_user("clerk", password="pw-1234567", is_staff=True)
        client.force_login(clerk)
        assert client.post(reverse("admin:cooperation_topic_preview"), {}).status_code == 403

    def test_change_form_offers_the_preview(self, admin_client):
        topic = TopicFactory()
        html = admin_client.get(
            reverse("admin:cooperation_topic_change", args=[topic.pk])
        ).content.decode()
        assert f'formaction="{reverse("admin:cooperation_topic_preview")}"' in html


def test_the_atlas_has_a_published_topic_for_each_section_of_the_essay(atlas):
    topics = Topic.objects.published().prefetch_related("sources", "references")
    assert topics.count() >= 9
    for topic in topics:
        assert topic.sources.count() >= 2, topic
        assert topic.references.count() >= 3, topic
        assert references.problems(topic.body) == [], topic
