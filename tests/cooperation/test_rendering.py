"""Rich text: Markdown rendered, then sanitised. Known XSS payloads must not survive."""

import pytest

from cooperation.rendering import render_markdown
from tests.support.hostile import DANGEROUS, XSS_PAYLOADS


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives(payload):
    html = render_markdown(f"Intro paragraph.\n\n{payload}\n\nOutro.")
    assert not DANGEROUS.search(html), html


def test_markdown_still_renders():
    html = render_markdown(
        "## Heading\n\nSome **bold** and a [link](https://www.nato.int/).\n\n- one\n- two"
    )
    assert "<h2>Heading</h2>" in html
    assert "<strong>bold</strong>" in html
    assert '<a href="https://www.nato.int/" rel="noopener noreferrer">link</a>' in html
    assert "<li>one</li>" in html
