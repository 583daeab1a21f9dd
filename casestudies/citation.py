"""'Cite this page' for a case study: plain text, BibTeX and RIS."""

from django.utils.dateformat import format as format_date

SITE_TITLE = "Counterterrorism Cooperation Atlas"
BIBTEX_SPECIAL = str.maketrans(
    {c: f"\\{c}" for c in "{}%&#_$"}
    | {"~": r"\textasciitilde{}", "^": r"\^{}", "\\": r"\textbackslash{}"}
)


def plain_text(case_study, url, accessed):
    updated = format_date(case_study.updated_at, "j F Y")
    return (
        f"“{case_study.title}.” {SITE_TITLE}. Last updated {updated}. {url} "
        f"(accessed {format_date(accessed, 'j F Y')})."
    )


def bibtex(case_study, url, accessed):
    def escape(text):
        return text.translate(BIBTEX_SPECIAL)

    key = "atlas-" + case_study.slug
    updated = f"{case_study.updated_at:%Y-%m-%d}"
    return (
        f"@misc{{{key},\n"
        f"  title = {{{escape(case_study.title)}}},\n"
        f"  howpublished = {{{SITE_TITLE}}},\n"
        f"  year = {{{case_study.updated_at.year}}},\n"
        f"  url = {{{url}}},\n"
        f"  note = {{Last updated {updated}; accessed {accessed:%Y-%m-%d}}}\n"
        "}\n"
    )


def ris(case_study, url, accessed):
    def line(tag, value):
        return f"{tag}  - {' '.join(str(value).split())}\r\n"

    return "".join(
        [
            line("TY", "ELEC"),
            line("TI", case_study.title),
            line("T2", SITE_TITLE),
            line("PY", case_study.updated_at.year),
            line("DA", f"{case_study.updated_at:%Y/%m/%d}"),
            line("Y2", f"{accessed:%Y/%m/%d}"),
            line("UR", url),
            line("AB", case_study.summary),
            "ER  - \r\n",
        ]
    )
