"""One side of a real race: a separate process that opens an entry's admin change form on a
file database, waits for the starting signal, then saves it. Run as
`python -m tests.support.racing DATABASE SIGNALS SIDE ROUNDS URL`; it prints one JSON line per
round: the status of its save and whether the answer was the conflict message."""

import json
import os
import sys
import time
from pathlib import Path

READY_TIMEOUT = 60


def wait_for(path):
    deadline = time.monotonic() + READY_TIMEOUT
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no starting signal {path}")
        time.sleep(0.001)


def race(signals, side, rounds, url):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from cooperation.admin.conflicts import STALE_MESSAGE
    from tests.support.api import make_editor
    from tests.support.forms import submitted_fields

    editor = make_editor(get_user_model(), f"racer-{side}")
    client = Client()
    client.force_login(editor)
    stale_words = STALE_MESSAGE.split(",")[0]
    for round_number in range(rounds):
        data = submitted_fields(client.get(url).content.decode(), "casestudy_form")
        data["summary"] = [f"Saved by {side} in round {round_number}."]
        (signals / f"ready-{side}-{round_number}").touch()
        wait_for(signals / f"go-{round_number}")
        response = client.post(url, data)
        text = response.content.decode()
        print(
            json.dumps(
                {
                    "round": round_number,
                    "status": response.status_code,
                    "stale": stale_words in text,
                    "locked": "database is locked" in text,
                }
            ),
            flush=True,
        )
        # Both sides must have finished this round before either opens the form again.
        (signals / f"done-{side}-{round_number}").touch()
        wait_for(signals / f"next-{round_number}")


def main(database, signals, side, rounds, url):
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.project.settings")
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # the test client's host, and mail kept in memory
    race(Path(signals), side, int(rounds), url)


if __name__ == "__main__":
    main(*sys.argv[1:])
