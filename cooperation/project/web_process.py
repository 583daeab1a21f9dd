"""What only the web server's processes get: a statement timeout on PostgreSQL, so that one heavy
request is stopped by the database (and answered) long before gunicorn would kill its worker.
Management commands (imports, backups, migrations) run without it."""

from django.conf import settings
from django.db.backends.signals import connection_created


def limit_statements(sender, connection, **kwargs):
    milliseconds = settings.WEB_STATEMENT_TIMEOUT_MS
    if connection.vendor == "postgresql" and milliseconds:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(milliseconds)])


def configure_web_process():
    connection_created.connect(limit_statements, dispatch_uid="atlas-web-statement-timeout")
