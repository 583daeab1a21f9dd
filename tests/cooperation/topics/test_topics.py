"""Topics: analysis pages with backlinks both ways (a topic lists the records it refers to, a
record the topics that refer to it), in pages, the API and the admin, in a fixed number of
queries."""

import pytest
from django.urls import reverse

from cooperation import references
from cooperation.models import Status, Topic
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeFactory,
    MechanismFactory,
    SourceFactory,
    TopicFactory,
)
from tests.support.users import member_of

pytestmark = pytest.mark.django_db


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

    def test_writing_a_bad_reference_is_refused_and_changes_nothing(self, client, nato):
        client.force_login(member_of("Reviewers", "rita"))
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
