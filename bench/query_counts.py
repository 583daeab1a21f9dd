"""SQL queries per request for each benchmarked path, uncached, in this process (run by
bench/run.py with DATABASE_URL pointing at the benchmark database). Prints JSON."""

import json
import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.project.settings")
os.environ["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main():
    paths = json.loads(sys.argv[1])
    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, path in paths.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
        counts[name] = len(queries.captured_queries)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
