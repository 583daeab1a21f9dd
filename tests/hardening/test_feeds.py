"""Feeds send text as text: a summary's markup reaches a feed reader as words to show, never as
HTML to render, for every payload of the XSS corpus."""

from xml.etree import ElementTree

import html5lib
import pytest
from django.urls import reverse

from tests.factories import CaseStudyFactory, TopicFactory
from tests.support.hostile import XSS_PAYLOADS

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def summaries(response):
    """Each entry's summary as a feed reader sees it: (type, HTML)."""
    root = ElementTree.fromstring(response.content)
    for summary in root.iter(f"{ATOM}summary"):
        yield summary.get("type"), summary.text or ""


def rendered(html):
    """What a feed reader would build from the summary's HTML: its elements and its text."""
    fragment = html5lib.parseFragment(html, namespaceHTMLElements=True)
    tags = {element.tag.removeprefix(XHTML) for element in fragment.iter()}
    return tags - {"DOCUMENT_FRAGMENT"}, "".join(fragment.itertext())


@pytest.mark.parametrize(
    ("feed", "factory"), [("casestudy-feed", CaseStudyFactory), ("topic-feed", TopicFactory)]
)
def test_summaries_are_text_in_every_feed(client, feed, factory):
    for payload in XSS_PAYLOADS:
        factory(summary=f"First line\n\n{payload}")
    sent = [html for kind, html in summaries(client.get(reverse(feed))) if "First line" in html]
    assert len(sent) == len(XSS_PAYLOADS)
    shown = []
    for html in sent:
        tags, text = rendered(html)
        assert tags <= {"p", "br"}, (tags, html)
        shown.append(text.removeprefix("First line").strip())
    assert sorted(shown) == sorted(XSS_PAYLOADS)


def test_the_summary_type_is_html_that_a_reader_renders(client):
    """Why the escaping matters: Atom marks the summary as HTML, which readers render."""
    CaseStudyFactory(summary="plain words")
    assert ("html", "<p>plain words</p>") in set(summaries(client.get(reverse("casestudy-feed"))))
