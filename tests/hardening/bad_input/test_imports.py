"""Imports: the import_atlas command and the admin's import and export pages."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.hardening.bad_input.corpus import XSS, encoded, session, snapshot, unescaped_xss

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]


# Imports ---------------------------------------------------------------------------------------

BASE = {
    "slug": "icrc",
    "name": "ICRC",
    "kind": "ngo",
    "summary": "Humanitarian.",
    "status": "draft",
}


def actor(**fields):
    return [{"model": "cooperation.actor", "fields": {**BASE, **fields}}]


BAD_RECORDS = {
    "an account": [{"model": "auth.user", "fields": {"username": "x", "is_superuser": True}}],
    "a permission": [{"model": "auth.permission", "fields": {"codename": "x"}}],
    "a content type": [{"model": "contenttypes.contenttype", "fields": {"model": "x"}}],
    "the cache version": [{"model": "cooperation.contentversion", "fields": {"token": "x"}}],
    "a history row": [{"model": "cooperation.historicalactor", "fields": BASE}],
    "a number for the model": [{"model": 5, "fields": {}}],
    "a list for the model": [{"model": ["cooperation.actor"], "fields": {}}],
    "no fields": [{"model": "cooperation.actor"}],
    "fields as a list": [{"model": "cooperation.actor", "fields": []}],
    "a record that is a number": [1],
    "an unknown field": actor(colour="red"),
    "a bookkeeping field": actor(created_at="2020-01-01T00:00:00Z"),
    "a version that is not a number": actor(version="seven"),
    "an unknown status": actor(status="' OR 1=1 --"),
    "a number for text": actor(name=1),
    "a list for text": actor(name=["a"]),
    "an object for text": actor(name={"a": 1}),
    "true for text": actor(summary=True),
    "a NUL in text": actor(name="a\x00b"),
    "a lone surrogate": actor(name="\ud800"),
    "text too long": actor(name="x" * 201),
    "an unknown choice": actor(kind=XSS),
    "a fraction for a number": actor(atop_id=1.5),
    "true for a number": actor(atop_id=True),
    "a number past 64 bits": actor(atop_id=10**30),
    "an impossible date": actor(founded="2026-02-30"),
    "a reference as text": actor(region="europe"),
    "a reference to nothing": actor(region=["atlantis"]),
    "sources as text": actor(sources="isaf-report"),
    "a source past 64 bits": actor(sources=[10**30]),
    "a source that is not there": actor(sources=[["no-such-source"]]),
    "a pk that is text": [{"model": "cooperation.actor", "pk": "abc", "fields": BASE}],
    "a pk past 64 bits": [{"model": "cooperation.actor", "pk": 10**30, "fields": BASE}],
    "a path for a slug": actor(slug="../../etc/passwd"),
}
BAD_JSON_FILES = {
    "truncated": b'[{"model": "cooperation.actor"',
    "empty": b"",
    "not a list": b'{"model": "cooperation.actor", "fields": {}}',
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "5,000 digits": b'[{"model": "cooperation.actor", "fields": {"atop_id": 1'
    + b"0" * 5000
    + b"}}]",
    "Latin-1": '[{"model": "cooperation.actor", "fields": {"name": "Genève"}}]'.encode("latin-1"),
    "UTF-16": json.dumps(actor()).encode("utf-16"),
    "NUL bytes": b"\x00\x00\x00",
}
HEADER = "slug,name,kind,summary,status\n"
BAD_CSV_FILES = {
    "a 200,000-character cell": HEADER + "icrc," + "x" * 200_000 + ",ngo,S,draft\n",
    "more cells than the header": HEADER + "icrc,ICRC,ngo,S,draft,extra\n",
    "an unknown column": "slug,colour\nicrc,red\n",
    "a NUL in a cell": HEADER + "icrc,IC\x00RC,ngo,S,draft\n",
    "an unknown choice": HEADER + "icrc,ICRC,planet,S,draft\n",
    "an unknown status": HEADER + "icrc,ICRC,ngo,S,gone\n",
}


class TestImports:
    def test_the_command_refuses_bad_records_and_writes_nothing(self, world, tmp_path):
        path = tmp_path / "atlas.json"
        path.write_text(json.dumps(actor()))
        out = io.StringIO()
        call_command("import_atlas", str(path), "--dry-run", stdout=out)  # the control
        assert "1 created" in out.getvalue()
        before, wrong = snapshot(), []
        for label, records in BAD_RECORDS.items():
            path.write_text(json.dumps(records))
            err = io.StringIO()
            try:
                call_command("import_atlas", str(path), stdout=io.StringIO(), stderr=err)
                wrong.append(f"{label}: imported")
            except CommandError as error:
                if "record 1" not in err.getvalue() + str(error):
                    wrong.append(f"{label}: {error} {err.getvalue()}")
        assert wrong == []
        assert snapshot() == before

    def test_the_command_refuses_files_it_cannot_read(self, world, tmp_path):
        files = {f"{label}.json": content for label, content in BAD_JSON_FILES.items()}
        for label, text in BAD_CSV_FILES.items():
            files[f"{label}/cooperation.actor.csv"] = text.encode()
        before, wrong = snapshot(), []
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(content)
            with pytest.raises(CommandError) as raised:
                call_command("import_atlas", str(path), stdout=io.StringIO(), stderr=io.StringIO())
            if "Nothing" not in str(raised.value):
                wrong.append(f"{name}: {raised.value}")
        for args in [["--model", "auth.user", "x.csv"], ["--model", "nope", "x.csv"]]:
            (tmp_path / "x.csv").write_text("username\nevil\n")
            with pytest.raises(CommandError):
                call_command(
                    "import_atlas",
                    *[a.replace("x.csv", str(tmp_path / "x.csv")) for a in args],
                    stdout=io.StringIO(),
                )
        assert wrong == []
        assert snapshot() == before

    def test_the_admin_export_form_names_what_it_refuses(self, world):
        client = session(world, "admin")
        wrong = []
        for name in ["format", "model", "status"]:
            for label, _, decoded in encoded():
                query = {"format": "json", name: decoded}
                response = client.get(reverse("atlas-exchange"), query)
                form = response.context and response.context.get("export_form")
                named = response.status_code == 200 and bool(form) and name in form.errors
                # An empty model or status means every one; an empty format is still an error.
                if not named and (decoded.strip() or response.status_code != 200):
                    wrong.append(f"{name} {label}: {response.status_code}")
        assert wrong == []

    def test_the_admin_page_reports_what_it_refuses(self, world):
        client = session(world, "admin")
        path = reverse("atlas-exchange")
        uploads = [
            (f"{label}.json", json.dumps(records).encode(), "")
            for label, records in BAD_RECORDS.items()
        ]
        uploads += [(f"{label}.json", content, "") for label, content in BAD_JSON_FILES.items()]
        uploads += [
            (f"{label}.csv", text.encode(), "cooperation.actor")
            for label, text in BAD_CSV_FILES.items()
        ]
        uploads += [("no model.csv", HEADER.encode(), ""), ("x.csv", b"slug\nx\n", "auth.user")]
        before, wrong = snapshot(), []
        for name, content, model in uploads:
            upload = SimpleUploadedFile(name, content)
            response = client.post(path, {"file": upload, "model": model})
            report = response.context and response.context.get("report")
            refused = response.context and (
                response.context["import_form"].errors or (report and report.rejected)
            )
            if response.status_code != 200 or not refused:
                wrong.append(f"{name}: {response.status_code}")
            elif unescaped_xss(response):
                wrong.append(f"{name}: unescaped")
        assert wrong == []
        assert snapshot() == before
