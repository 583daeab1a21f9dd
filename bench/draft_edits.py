"""An editor at work on drafts while the benchmark reads: saves one draft case study once a second
until stopped (SIGTERM), then prints how many saves it made, as JSON. Run by bench/run.py with
DATABASE_URL pointing at the benchmark database."""

import json
import os
import signal
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.project.settings")
django.setup()

from casestudies.models import CaseStudy  # noqa: E402
from cooperation.models import Status  # noqa: E402

SECONDS_BETWEEN_SAVES = 1.0


def main():
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    draft = CaseStudy.objects.filter(status=Status.DRAFT).order_by("pk").first()
    saves = 0
    while not stopping:
        draft.summary = f"Draft revision {saves + 1}."
        draft.save()
        saves += 1
        time.sleep(SECONDS_BETWEEN_SAVES)
    print(json.dumps({"saves": saves}))


if __name__ == "__main__":
    main()
