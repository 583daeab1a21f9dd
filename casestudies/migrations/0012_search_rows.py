"""On PostgreSQL, a narrow copy of each case study's search vector and whether it is published,
kept by triggers, for the facet index's search (casestudies.facet_index.search_matches).

A search word's matches are read from the table that holds their vectors, row by row, to rank
them. The case-study table's rows are about 2 kB (body and summary inline; PostgreSQL moves
values out of a row only past that size), four to a page: a common word at 100,000 case studies
read 12,909 pages (100 MB) for 15,793 matches, more than PostgreSQL's buffer cache holds. These
rows are an id, a flag and the vector, about 400 bytes: the same matches read a third of the
pages, and the whole table stays cached. Triggers keep it in step, in the same transaction as
the change, whoever writes the case study (the ORM, an import, a restore, raw SQL); a
TRUNCATE of case studies (Django's flush) empties it too."""

from django.db import migrations

TABLE = "casestudies_casestudy"
ROWS = "casestudies_searchrow"

STATEMENTS = [
    f"""CREATE TABLE {ROWS} (
        case_study_id bigint PRIMARY KEY,
        published boolean NOT NULL,
        search_vector tsvector NOT NULL
    )""",
    f"CREATE INDEX {ROWS}_search_idx ON {ROWS} USING gin (search_vector) WHERE published",
    f"""CREATE FUNCTION {ROWS}_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM {ROWS} WHERE case_study_id = OLD.id;
            RETURN OLD;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
            DELETE FROM {ROWS} WHERE case_study_id = OLD.id;
        END IF;
        INSERT INTO {ROWS} (case_study_id, published, search_vector)
        VALUES (NEW.id, NEW.status = 'published', NEW.search_vector)
        ON CONFLICT (case_study_id) DO UPDATE
        SET published = EXCLUDED.published, search_vector = EXCLUDED.search_vector;
        RETURN NEW;
    END
    $$""",
    f"""CREATE FUNCTION {ROWS}_empty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- DELETE, not TRUNCATE: a TRUNCATE here is refused while the session has a cursor open.
        DELETE FROM {ROWS};
        RETURN NULL;
    END
    $$""",
    f"""CREATE TRIGGER {ROWS}_on_insert_or_delete AFTER INSERT OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {ROWS}_write()""",
    # Most updates (a version, a review date) change neither: they write nothing here.
    f"""CREATE TRIGGER {ROWS}_on_update AFTER UPDATE ON {TABLE} FOR EACH ROW
        WHEN (OLD.status IS DISTINCT FROM NEW.status
              OR OLD.search_vector IS DISTINCT FROM NEW.search_vector
              OR OLD.id IS DISTINCT FROM NEW.id)
        EXECUTE FUNCTION {ROWS}_write()""",
    f"""CREATE TRIGGER {ROWS}_on_truncate AFTER TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION {ROWS}_empty()""",
    f"""INSERT INTO {ROWS} (case_study_id, published, search_vector)
        SELECT id, status = 'published', search_vector FROM {TABLE}""",
]

UNDO = [
    f"DROP TRIGGER {ROWS}_on_truncate ON {TABLE}",
    f"DROP TRIGGER {ROWS}_on_update ON {TABLE}",
    f"DROP TRIGGER {ROWS}_on_insert_or_delete ON {TABLE}",
    f"DROP FUNCTION {ROWS}_empty()",
    f"DROP FUNCTION {ROWS}_write()",
    f"DROP TABLE {ROWS}",
]


def create_search_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in STATEMENTS:
            schema_editor.execute(statement)


def drop_search_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in UNDO:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0011_trigram_index")]

    operations = [migrations.RunPython(create_search_rows, drop_search_rows)]
