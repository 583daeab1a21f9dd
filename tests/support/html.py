"""What every page must be: well-formed HTML (no parse error under the HTML5 parsing rules) with
one main landmark, one h1, headings that do not skip a level, and a label for every form
control."""

import itertools
import re

import html5lib


def assert_well_formed_page(html):
    html5lib.HTMLParser(strict=True).parse(html)  # raises on any parse error
    assert html.count("<main") == 1
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    for control_id in re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html):
        assert f'for="{control_id}"' in html, f"no label for #{control_id}"
