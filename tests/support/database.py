"""The test database's two states, each captured once per session: as the migrations leave it,
and with the atlas loaded (the state every test starts from).

Most tests run in a transaction that is rolled back, so the loaded atlas is there for each of them
and nothing they do outlives them. A test that needs the database as the migrations leave it asks
for the `empty_database` fixture, which deletes the atlas inside that transaction. A committed
test (live server, browser, `transaction=True`) is followed by pytest-django's flush, which
empties every table; then the atlas comes back from the snapshot, row for row (tests/conftest.py),
which takes a fraction of a second where loading the fixtures again takes seconds."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction

# Written by migrate itself, and never emptied by a flush.
UNTOUCHED_TABLES = {"django_migrations"}


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple
    rows: tuple


def generated_columns(cursor, table):
    """The columns the database computes itself (PostgreSQL's search vectors), which an INSERT
    must leave out."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = %s AND is_generated = 'ALWAYS'",
            [table],
        )
    else:
        cursor.execute("SELECT name FROM pragma_table_xinfo(%s) WHERE hidden IN (2, 3)", [table])
    return {row[0] for row in cursor.fetchall()}


def capture():
    """Every row of every table of a model, by table name, without the columns the database
    computes. Tables no model owns are the database's own copies, kept by triggers from the
    model tables (the case studies' search rows): writing those back writes them again."""
    quote = connection.ops.quote_name
    tables = {}
    model_tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        for name in sorted(set(model_tables) - UNTOUCHED_TABLES):
            description = connection.introspection.get_table_description(cursor, name)
            computed = generated_columns(cursor, name)
            columns = tuple(column.name for column in description if column.name not in computed)
            selected = ", ".join(quote(column) for column in columns)
            cursor.execute(f"SELECT {selected} FROM {quote(name)}")  # noqa: S608 (names we listed)
            tables[name] = Table(name, columns, tuple(cursor.fetchall()))
    return tables


def write_rows(cursor, table):
    if not table.rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in table.columns)
    placeholders = ", ".join(["%s"] * len(table.columns))
    cursor.executemany(
        f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({placeholders})",  # noqa: S608
        table.rows,
    )


class DatabaseStates:
    """The migrated and the loaded state of the test database, and the ways back to them."""

    def __init__(self, migrated, loaded):
        self.migrated = migrated
        self.loaded = loaded
        # The tables the atlas writes to: the only ones `empty` has to put back.
        self.atlas_tables = [name for name in loaded if loaded[name] != migrated.get(name)]
        # Set while a module or class has put its own data in the atlas's place.
        self.replaced = False

    def empty(self):
        """Put the atlas's tables back as the migrations left them, in the current transaction.

        Foreign keys are checked when the transaction ends, so the order of the tables does not
        matter."""
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for name in self.atlas_tables:
                cursor.execute(f"DELETE FROM {quote(name)}")  # noqa: S608
                write_rows(cursor, self.migrated[name])

    @contextmanager
    def replaced_by_own_data(self, django_db_blocker):
        """The atlas deleted while the block runs, in a transaction rolled back at its end: for
        data that a module or a class builds once, inside, for its tests (each of which still
        runs in a savepoint of its own, rolled back after it)."""
        with django_db_blocker.unblock(), transaction.atomic():
            self.empty()
            self.replaced = True
            try:
                yield
            finally:
                self.replaced = False
                transaction.set_rollback(True)

    def restore_loaded(self):
        """Commit the loaded state again after a flush, sequences included."""
        from django.apps import apps

        with transaction.atomic():
            connection.ops.execute_sql_flush(
                connection.ops.sql_flush(no_style(), list(self.loaded), allow_cascade=True)
            )
            with connection.cursor() as cursor:
                for table in self.loaded.values():
                    write_rows(cursor, table)
                models = apps.get_models(include_auto_created=True)
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
