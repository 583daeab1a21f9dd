"""A release's downloads: the data package validates with the frictionless library and gives back
exactly the release's rows; its checksums hold; the JSON holds every record."""

import hashlib
import json
import zipfile

import frictionless
import pytest

from cooperation.releases.package import ensure_download, packaged_models, table_name
from cooperation.releases.snapshot import cut_release

pytestmark = pytest.mark.django_db

SITE = "https://atlas.example.org"


@pytest.fixture
def release(atlas):
    return cut_release("2027.1", notes="The first release.")


@pytest.fixture
def unpacked(release, tmp_path):
    path = ensure_download(release, "zip", site_url=SITE)
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path)
    return tmp_path / "atlas-2027.1"


def test_the_data_package_validates_and_describes_every_field(unpacked):
    report = frictionless.validate(unpacked / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])[:5]
    package = json.loads((unpacked / "datapackage.json").read_text())
    assert package["version"] == "2027.1" and package["licenses"][0]["name"] == "CC-BY-4.0"
    cases = next(r for r in package["resources"] if r["name"] == "case-studies")
    outcome = next(f for f in cases["schema"]["fields"] if f["name"] == "outcome")
    assert set(outcome["constraints"]["enum"]) >= {"success", "mixed", "failure"}
    assert outcome["description"]
    assert {
        "fields": ["case_study_id"],
        "reference": {"resource": "case-studies", "fields": ["id"]},
    } in next(r for r in package["resources"] if r["name"] == "participations")["schema"][
        "foreignKeys"
    ]
    for name in ("codebook.md", "CITATION.cff", "LICENSE.txt"):
        assert (unpacked / name).stat().st_size > 0


def test_the_data_package_gives_back_the_release_rows(release, unpacked):
    package = frictionless.Package(unpacked / "datapackage.json")
    for model in packaged_models():
        rows = package.get_resource(table_name(model)).read_rows()
        ids = [row["id"] for row in rows]
        held = release.records.filter(model=model._meta.label_lower)
        assert ids == sorted(held.values_list("object_id", flat=True)), model
    isaf = release.records.get(model="casestudies.casestudy", slug="isaf-afghanistan")
    row = next(
        r for r in package.get_resource("case-studies").read_rows() if r["id"] == isaf.object_id
    )
    assert (row["title"], row["summary"], row["start_date"].isoformat()) == (
        isaf.fields["title"],
        isaf.fields["summary"],
        isaf.fields["start_date"],
    )
    links = package.get_resource("case-study-regions").read_rows()
    regions = sorted(r["region_id"] for r in links if r["casestudy_id"] == isaf.object_id)
    assert regions == sorted(isaf.fields["regions"])


def test_every_file_matches_its_checksum(unpacked):
    listed = (unpacked / "SHA256SUMS").read_text().splitlines()
    assert len(listed) > 10
    for line in listed:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((unpacked / name).read_bytes()).hexdigest() == digest, name


def test_the_json_holds_every_record(release):
    path = ensure_download(release, "json", site_url=SITE)
    data = json.loads(path.read_text())
    assert data["release"]["version"] == "2027.1"
    for label, count in release.counts.items():
        assert len(data["records"][label]) == count, label
