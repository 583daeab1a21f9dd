"""Rich text: Markdown rendered, then sanitised. Known XSS payloads must not survive."""

import re

import pytest

from cooperation.rendering import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<body onload=alert(1)>",
    '<input autofocus onfocus="alert(1)">',
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="x" onclick="alert(1)">x</a>',
    "<details open ontoggle=alert(1)>",
    "`<script>alert(1)</script>`",
    "<template><script>alert(1)</script></template>",
    '<base href="javascript:alert(1)//">',
    "[x]( javascript:alert(1) )",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
]

DANGEROUS = re.compile(
    r"<\s*(script|iframe|object|embed|form|input|meta|style|base|svg|math|body|template|details)"
    r"|\son\w+\s*=|javascript:|vbscript:|data:text/html",
    re.IGNORECASE,
)


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
