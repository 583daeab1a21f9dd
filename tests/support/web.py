"""The web server's processes as a test sees them from outside."""

from django.db import connection


def statement_timeouts():
    """PostgreSQL's statement_timeout in this process as a command has it, then as the web
    server's processes have it (after loading the WSGI application)."""

    def current():
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            return cursor.fetchone()[0]

    command = current()
    import cooperation.project.wsgi  # noqa: F401 - what gunicorn loads

    return {"command": command, "web": current()}
