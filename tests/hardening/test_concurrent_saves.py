"""Two editors' saves of one entry at the same moment, from two processes on one SQLite file
(as two gunicorn workers would be): one wins, the other gets the conflict message, never the
outage page for "database is locked". Transactions begin IMMEDIATE, so the loser waits for the
write lock and then finds the entry changed (settings.DATABASES). The entry is published and the
racers are editors, so the race is for its changes waiting for review."""

import json
import sqlite3
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from casestudies.models import CaseStudy

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CASE = "fatf-egmont-terrorist-financing"
ROUNDS = 6
SIDES = ("left", "right")


def copy_of_test_database(path):
    """The session's loaded atlas as SQL, read by the test's own connection (a backup would
    wait for the test's open transaction to end)."""
    connection.ensure_connection()
    script = "\n".join(connection.connection.iterdump())
    with sqlite3.connect(path) as target:
        target.executescript(script)


def start_racer(database, signals, side, url):
    return subprocess.Popen(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-m", "tests.support.racing", database, signals, side, str(ROUNDS), url],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "SITE_THROTTLE": ""},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_all(paths, processes):
    deadline = time.monotonic() + 120
    while not all(path.exists() for path in paths):
        for process in processes:
            if process.poll() is not None:
                pytest.fail(f"a racer stopped early: {process.stderr.read()}")
        assert time.monotonic() < deadline, "the racers never got ready"
        time.sleep(0.001)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file locking")
def test_the_loser_of_a_simultaneous_save_gets_the_conflict_message(atlas, tmp_path):
    database, signals = tmp_path / "atlas.sqlite3", tmp_path / "signals"
    signals.mkdir()
    copy_of_test_database(database)
    url = f"/admin/casestudies/casestudy/{CaseStudy.objects.get(slug=CASE).pk}/change/"
    racers = [start_racer(str(database), str(signals), side, url) for side in SIDES]
    for round_number in range(ROUNDS):
        wait_for_all([signals / f"ready-{side}-{round_number}" for side in SIDES], racers)
        (signals / f"go-{round_number}").touch()
        wait_for_all([signals / f"done-{side}-{round_number}" for side in SIDES], racers)
        (signals / f"next-{round_number}").touch()
    answers = [
        [json.loads(line) for line in racer.communicate(timeout=60)[0].splitlines()]
        for racer in racers
    ]

    for round_number in range(ROUNDS):
        both = [side_answers[round_number] for side_answers in answers]
        assert not any(answer["locked"] for answer in both), both
        assert sorted(answer["status"] for answer in both) == [200, 302], both
        assert [answer["stale"] for answer in both if answer["status"] == 200] == [True], both
    # The racers are editors, so what they save of the published case study waits for review.
    pending = sqlite3.connect(database).execute(
        "SELECT content FROM cooperation_revision WHERE state = 'pending'"
    )
    [(content,)] = pending.fetchall()
    summary = json.loads(content)[0]["fields"]["summary"]
    assert summary == f"Saved by {winner(answers)} in round {ROUNDS - 1}."


def winner(answers):
    last = [side_answers[-1]["status"] for side_answers in answers]
    return SIDES[last.index(302)]
