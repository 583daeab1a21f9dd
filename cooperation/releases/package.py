"""A release's downloads: a Frictionless Data Package as a zip (datapackage.json describing every
table and field, one CSV per table and per many-to-many link, the codebook, CITATION.cff, the
licence and SHA256SUMS of every file), and the whole release as one JSON file.

Both are built once per release, from its frozen records, streamed row by row into a file in
RELEASES_DIR (constant memory), and served from there; a missing file is built again."""

import csv
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from frictionless import Package, Resource, Schema, fields

from cooperation.releases.citation import DATASET_TITLE, LICENCE, citation_cff
from cooperation.releases.snapshot import released_models

CODEBOOK = Path(settings.BASE_DIR) / "docs" / "codebook.md"

FIELD_TYPES = {
    "AutoField": fields.IntegerField,
    "BigAutoField": fields.IntegerField,
    "IntegerField": fields.IntegerField,
    "PositiveIntegerField": fields.IntegerField,
    "PositiveSmallIntegerField": fields.IntegerField,
    "PositiveBigIntegerField": fields.IntegerField,
    "SmallIntegerField": fields.IntegerField,
    "BigIntegerField": fields.IntegerField,
    "BooleanField": fields.BooleanField,
    "DateField": fields.DateField,
    "DateTimeField": fields.DatetimeField,
}

# A release's tables: the public record, not its bookkeeping or derived indexes.
PACKAGED_SKIP = {"review_note", "version"}


def packaged_models():
    return [model for model in released_models() if model._meta.model_name != "topicreference"]


def table_name(model):
    return str(model._meta.verbose_name_plural).replace(" ", "-").lower()


def link_table_name(model, field):
    return f"{str(model._meta.verbose_name).replace(' ', '-').lower()}-{field.name}".replace(
        "_", "-"
    )


def columns_of(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in PACKAGED_SKIP and not field.name.startswith("search_")
    ]


def describe(model_field):
    text = str(model_field.help_text or model_field.verbose_name).strip()
    description = text[0].upper() + text[1:] if text else ""
    if model_field.many_to_one:
        description += f" (the id of a record in {table_name(model_field.related_model)})"
    if model_field.choices:
        codes = "; ".join(f"`{code}`: {label}" for code, label in model_field.flatchoices)
        description += f" One of: {codes}. The codebook defines each."
    return description


def field_of(model_field):
    kind = FIELD_TYPES.get(model_field.get_internal_type(), fields.StringField)
    if model_field.many_to_one:
        kind = fields.IntegerField
    constraints = {}
    if model_field.primary_key or not (model_field.null or model_field.blank):
        constraints["required"] = True
    if model_field.choices:
        constraints["enum"] = [str(code) for code, _ in model_field.flatchoices]
    return kind(
        name=model_field.attname,
        title=str(model_field.verbose_name).capitalize(),
        description=describe(model_field),
        constraints=constraints,
    )


def schema_of(model):
    schema = Schema(fields=[field_of(field) for field in columns_of(model)], primary_key=["id"])
    for field in columns_of(model):
        if field.many_to_one:
            schema.foreign_keys.append(
                {
                    "fields": [field.attname],
                    "reference": {"resource": table_name(field.related_model), "fields": ["id"]},
                }
            )
    return schema


def link_schema_of(model, field):
    source = field.m2m_field_name() + "_id"
    target = field.m2m_reverse_field_name() + "_id"
    return Schema(
        fields=[
            fields.IntegerField(name=source, constraints={"required": True}),
            fields.IntegerField(name=target, constraints={"required": True}),
        ],
        primary_key=[source, target],
        foreign_keys=[
            {"fields": [source], "reference": {"resource": table_name(model), "fields": ["id"]}},
            {
                "fields": [target],
                "reference": {"resource": table_name(field.related_model), "fields": ["id"]},
            },
        ],
    )


def descriptor(release, site_url):
    resources = []
    for model in packaged_models():
        resources.append(
            Resource(
                name=table_name(model),
                path=f"data/{table_name(model)}.csv",
                title=str(model._meta.verbose_name_plural).capitalize(),
                description=(model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " "),
                format="csv",
                mediatype="text/csv",
                encoding="utf-8",
                schema=schema_of(model),
            )
        )
        for field in model._meta.many_to_many:
            resources.append(
                Resource(
                    name=link_table_name(model, field),
                    path=f"data/{link_table_name(model, field)}.csv",
                    title=f"{model._meta.verbose_name}: {field.verbose_name}".capitalize(),
                    description=f"Which {field.related_model._meta.verbose_name_plural} each "
                    f"{model._meta.verbose_name} links to as its {field.verbose_name}.",
                    format="csv",
                    mediatype="text/csv",
                    encoding="utf-8",
                    schema=link_schema_of(model, field),
                )
            )
    package = Package(
        name=f"counterterrorism-cooperation-atlas-{release.version}",
        title=f"{DATASET_TITLE}, release {release.version}",
        description=f"Every published record of the {DATASET_TITLE} as it stood on "
        f"{release.cut_at:%Y-%m-%d}, with its links and sourced claims. The codebook "
        "(codebook.md) defines every field and category.",
        homepage=site_url + release.get_absolute_url(),
        version=release.version,
        created=release.cut_at.isoformat(),
        licenses=[LICENCE],
        resources=resources,
    )
    return package.to_dict()


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def table_rows(release, model):
    """The model's rows in the release, as CSV cells, in id order, read in chunks."""
    columns = columns_of(model)
    records = release.records.filter(model=model._meta.label_lower).order_by("object_id")
    for pk, data in records.values_list("object_id", "fields").iterator(chunk_size=1000):
        yield [pk if field.primary_key else cell(data.get(field.name)) for field in columns]


def link_rows(release, model, field):
    records = release.records.filter(model=model._meta.label_lower).order_by("object_id")
    for pk, data in records.values_list("object_id", "fields").iterator(chunk_size=1000):
        for target in sorted(data.get(field.name, [])):
            yield [pk, target]


def write_csv(archive, name, header, rows, sums, progress):
    """Write a CSV member row by row, hashing it on the way."""
    digest = hashlib.sha256()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush(member):
        data = buffer.getvalue().encode()
        digest.update(data)
        member.write(data)
        buffer.seek(0)
        buffer.truncate()

    with archive.open(name, "w") as member:
        writer.writerow(header)
        for count, row in enumerate(rows, 1):
            writer.writerow(row)
            progress()
            if count % 1000 == 0:
                flush(member)
        flush(member)
    sums[name] = digest.hexdigest()


def write_bytes(archive, name, data, sums):
    archive.writestr(name, data)
    sums[name] = hashlib.sha256(data).hexdigest()


def build_package(release, path, *, site_url, progress=lambda: None):
    """Write the release's data package zip to `path`."""
    sums = {}
    folder = f"atlas-{release.version}"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        described = descriptor(release, site_url)
        write_bytes(
            archive,
            f"{folder}/datapackage.json",
            json.dumps(described, indent=2, ensure_ascii=False).encode(),
            sums,
        )
        for model in packaged_models():
            header = [field.attname for field in columns_of(model)]
            name = f"{folder}/data/{table_name(model)}.csv"
            write_csv(archive, name, header, table_rows(release, model), sums, progress)
            for field in model._meta.many_to_many:
                header = [field.m2m_field_name() + "_id", field.m2m_reverse_field_name() + "_id"]
                name = f"{folder}/data/{link_table_name(model, field)}.csv"
                write_csv(archive, name, header, link_rows(release, model, field), sums, progress)
        write_bytes(archive, f"{folder}/codebook.md", CODEBOOK.read_bytes(), sums)
        write_bytes(
            archive, f"{folder}/CITATION.cff", citation_cff(release, site_url).encode(), sums
        )
        write_bytes(archive, f"{folder}/LICENSE.txt", licence_text(release).encode(), sums)
        listing = "".join(
            f"{digest}  {name.removeprefix(folder + '/')}\n" for name, digest in sums.items()
        )
        archive.writestr(f"{folder}/SHA256SUMS", listing)


def licence_text(release):
    return (
        f"{DATASET_TITLE}, release {release.version}\n\n"
        f"The data and the codebook are licensed under the {LICENCE['title']} licence "
        f"({LICENCE['name']}): {LICENCE['path']}\n\n"
        "You may share and adapt them for any purpose, provided you give appropriate credit "
        "(see CITATION.cff), link to the licence and say whether you made changes. The sources "
        "each record cites remain their publishers' own.\n"
    )


def build_json(release, path, *, progress=lambda: None):
    """Write the whole release as one JSON document, record by record."""
    meta = {
        "version": release.version,
        "cut_at": release.cut_at,
        "notes": release.notes,
        "counts": release.counts,
        "licence": LICENCE,
    }
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"release": ')
        out.write(json.dumps(meta, cls=DjangoJSONEncoder, ensure_ascii=False))
        out.write(', "records": {')
        for index, model in enumerate(released_models()):
            label = model._meta.label_lower
            out.write(("," if index else "") + f"\n{json.dumps(label)}: [")
            records = release.records.filter(model=label).order_by("object_id")
            rows = records.values_list("object_id", "fields").iterator(chunk_size=1000)
            for position, (pk, data) in enumerate(rows):
                out.write(("," if position else "") + "\n")
                out.write(json.dumps({"id": pk, **data}, ensure_ascii=False))
                progress()
            out.write("]")
        out.write("}}\n")


def download_path(release, kind):
    """Where the release's download of `kind` ("zip" or "json") is kept."""
    suffix = {"zip": "datapackage.zip", "json": "json"}[kind]
    return Path(settings.RELEASES_DIR) / f"{release.version}-{release.digest[:16]}.{suffix}"


def ensure_download(release, kind, *, site_url, progress=lambda: None):
    path = download_path(release, kind)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        if kind == "zip":
            build_package(release, partial, site_url=site_url, progress=progress)
        else:
            build_json(release, partial, progress=progress)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def row_total(release):
    """How many rows the downloads write: for progress bars."""
    return release.records.count()
