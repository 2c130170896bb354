"""Time the listing pages with today's badges read from badge periods against the rule's own
subqueries (what listings did before), same database, same run. A benchmark: prints figures.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_100k .venv/bin/python bench/listing_timing.py

(seed the database first: migrate, load_demo, seed_catalogue --products 100000). Each page is
fetched through Django's test client with the page cache off; median of --runs, after one warm-up.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Exists, Subquery  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

import catalog_ext.badges as badges  # noqa: E402
import listing.filters as filters  # noqa: E402
import listing.products as products  # noqa: E402

URLS = ["/catalogue/", "/catalogue/?stars=4&sort=price_asc", "/catalogue/?page=2", "/", "/search/?q=arabica&stars=4"]


def rule_subqueries(queryset, on=None):
    """The badge annotations as subqueries per product (the listing before badge periods)."""
    if "badge_gi_ok" in queryset.query.annotations:
        return queryset
    on = on or badges.rules.today()
    current = badges.current_certificates(on)
    return queryset.annotate(badge_stars=Subquery(current.values("stars")[:1]),
                             badge_potential_five=Subquery(current.values("potential_five")[:1]),
                             badge_number=Subquery(current.values("number")[:1]),
                             badge_gi_ok=Exists(badges.licensed_gi(on)))


def time_pages(label, annotate, runs):
    badges.with_badges = filters.with_badges = annotate
    products._listing_of_the_day.clear()
    client = Client()
    for url in URLS:
        client.get(url)
        pages, databases = [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                pages.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
            databases.append(sum(float(q["time"]) for q in queries.captured_queries))
        print(f"{label:10} {url:38} page {statistics.median(pages) * 1000:8.1f} ms"
              f"   database {statistics.median(databases) * 1000:8.1f} ms   {len(queries)} queries", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    setup_test_environment()
    settings.OCOP_PAGE_CACHE = False
    settings.ALLOWED_HOSTS = ["*"]
    print(f"load average {os.getloadavg()[0]:.1f}, {connection.vendor}")
    periods = badges.with_badges
    time_pages("periods", periods, runs)
    time_pages("subqueries", rule_subqueries, runs)


if __name__ == "__main__":
    main()
