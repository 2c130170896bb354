"""Count the SQL queries each page costs in OUR shop, in-process, against the bench database.

Run by bench/run.py with the bench's environment: `python bench/queries.py /path ...`; prints
one JSON object {path: count}. Each page is fetched once to warm up (template loading, the site
and content-type caches), then counted on a fresh client without cookies, like a load-test hit.
"""
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")


def main(paths: list[str]) -> dict[str, int | None]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for path in paths:
        Client(HTTP_HOST="127.0.0.1").get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = Client(HTTP_HOST="127.0.0.1").get(path)
        counts[path] = len(ctx.captured_queries) if response.status_code == 200 else None
    return counts


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
