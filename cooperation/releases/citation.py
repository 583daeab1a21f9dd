"""How to cite the atlas: a record (case study, actor, mechanism, challenge, topic) or the whole
dataset, as text, BibTeX, RIS and CSL-JSON. A record is cited at the release in which it last
changed, by its frozen URL there (which never changes), with its current URL beside it; a record
no release holds yet is cited by its current URL and date. Every citation names the licence."""

import json
from dataclasses import dataclass

from django.utils.dateformat import format as format_date

from cooperation.models import Release, ReleaseRecord

DATASET_TITLE = "Counterterrorism Cooperation Atlas"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
BIBTEX_SPECIAL = str.maketrans(
    {c: f"\\{c}" for c in "{}%&#_$"}
    | {"~": r"\textasciitilde{}", "^": r"\^{}", "\\": r"\textbackslash{}"}
)


def released_in(record):
    """The release in which `record` last changed, among those that hold it (None if none)."""
    held = (
        ReleaseRecord.objects.filter(model=record._meta.label_lower, object_id=record.pk)
        .select_related("changed_in")
        .order_by("-release__cut_at", "-release_id")
        .only("changed_in")
        .first()
    )
    return held.changed_in if held is not None else None


def frozen_path(release, record):
    return f"/releases/{release.version}{record.get_absolute_url()}"


@dataclass
class Citation:
    title: str
    kind: str
    key: str
    url: str  # where the citation points: the frozen page, or the current one
    current_url: str
    accessed: object
    updated: object
    summary: str = ""
    release: Release | None = None

    @classmethod
    def of(cls, record, request, accessed):
        release = released_in(record)
        current = request.build_absolute_uri(record.get_absolute_url())
        url = request.build_absolute_uri(frozen_path(release, record)) if release else current
        return cls(
            title=str(getattr(record, "title", None) or record),
            kind=str(record._meta.verbose_name),
            key=f"atlas-{record.slug}" + (f"-{release.version}" if release else ""),
            url=url,
            current_url=current,
            accessed=accessed,
            updated=release.cut_at if release else record.updated_at,
            summary=getattr(record, "summary", ""),
            release=release,
        )

    @classmethod
    def of_dataset(cls, release, request, accessed):
        url = request.build_absolute_uri(release.get_absolute_url())
        return cls(
            title=f"{DATASET_TITLE}, release {release.version}",
            kind="dataset",
            key=f"atlas-{release.version}",
            url=url,
            current_url=request.build_absolute_uri("/"),
            accessed=accessed,
            updated=release.cut_at,
            release=release,
        )

    @property
    def edition(self):
        return f"release {self.release.version}" if self.release else "current version"

    def text(self):
        date = format_date(self.updated, "j F Y")
        accessed = format_date(self.accessed, "j F Y")
        licence = f"Licence: {LICENCE['name']}."
        if self.kind == "dataset":
            return f"{DATASET_TITLE}, release {self.release.version}, {date}. {self.url} {licence}"
        if self.release:
            return (
                f"“{self.title}.” {DATASET_TITLE}, release {self.release.version}, {date}. "
                f"{self.url} (current version: {self.current_url}, accessed {accessed}). {licence}"
            )
        return (
            f"“{self.title}.” {DATASET_TITLE}, not yet in a release; last updated {date}. "
            f"{self.url} (accessed {accessed}). {licence}"
        )

    def bibtex(self):
        def escape(text):
            return text.translate(BIBTEX_SPECIAL)

        kind = "@dataset" if self.kind == "dataset" else "@misc"
        note = f"{self.edition.capitalize()}; accessed {self.accessed:%Y-%m-%d}"
        if self.release and self.kind != "dataset":
            note += f"; current version {self.current_url}"
        return (
            f"{kind}{{{self.key},\n"
            f"  title = {{{escape(self.title)}}},\n"
            f"  howpublished = {{{escape(DATASET_TITLE)}}},\n"
            f"  year = {{{self.updated.year}}},\n"
            + (f"  version = {{{self.release.version}}},\n" if self.release else "")
            + f"  url = {{{self.url}}},\n"
            f"  note = {{{escape(note)}; licence {LICENCE['name']}}}\n"
            "}\n"
        )

    def ris(self):
        def line(tag, value):
            return f"{tag}  - {' '.join(str(value).split())}\r\n"

        lines = [
            line("TY", "DATA" if self.kind == "dataset" else "ELEC"),
            line("TI", self.title),
            line("T2", DATASET_TITLE),
            line("PY", self.updated.year),
            line("DA", f"{self.updated:%Y/%m/%d}"),
            line("Y2", f"{self.accessed:%Y/%m/%d}"),
            line("UR", self.url),
        ]
        if self.release:
            lines.append(line("ET", self.edition))
        if self.summary:
            lines.append(line("AB", self.summary))
        lines += [line("N1", f"Licence: {LICENCE['name']} ({LICENCE['path']})"), "ER  - \r\n"]
        return "".join(lines)

    def csl(self):
        item = {
            "id": self.key,
            "type": "dataset" if self.kind == "dataset" else "webpage",
            "title": self.title,
            "container-title": DATASET_TITLE,
            "URL": self.url,
            "issued": {"date-parts": [[self.updated.year, self.updated.month, self.updated.day]]},
            "accessed": {
                "date-parts": [[self.accessed.year, self.accessed.month, self.accessed.day]]
            },
            "license": LICENCE["name"],
        }
        if self.release:
            item["version"] = self.release.version
        if self.summary:
            item["abstract"] = self.summary
        return json.dumps([item], ensure_ascii=False, indent=2)


def citation_cff(release, site_url):
    """The release's CITATION.cff (Citation File Format 1.2.0)."""
    return (
        "cff-version: 1.2.0\n"
        "message: If you use this dataset, please cite it as below.\n"
        "type: dataset\n"
        f'title: "{DATASET_TITLE}"\n'
        "authors:\n"
        f'  - name: "The editors of the {DATASET_TITLE}"\n'
        f'version: "{release.version}"\n'
        f"date-released: {release.cut_at:%Y-%m-%d}\n"
        f'url: "{site_url}{release.get_absolute_url()}"\n'
        f"license: {LICENCE['name']}\n"
    )
