"""Print how long the search page takes on this database: a benchmark, not a test.

    manage.py search_timing --queries 20           # median time of each search page
    manage.py search_timing --queries 20 --pages   # and requests per second of the listing pages
    manage.py search_timing -q arabica -q "q=arabica&in_stock=1&stars=4"   # given searches, filtered too

Each search is the whole /search/?q= page as an anonymous visitor gets it with the page cache
off: the search, its candidates and count, page 1 of cards, the facet counts and the rendering.
"database" adds up the time of every SQL query of that page (as Django's debug cursor records
it); "page" is the whole response, rendering included.
"""
import statistics
import time
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

# The demo's own searches, then common words: at 100,000 products "arabica" and "ca phe" match
# about 12,000 products, "ca" 21,000 and "mau" (every synthetic title says "mẫu") all of them.
SAMPLE_QUERIES = ("ca phe son la", "che shan tuyet", "xoai yen chau", "chieng mai", "mat ong", "arabca", "gao nep tan",
                  "arabica", "ca phe", "che", "ca", "mau")


class Command(BaseCommand):
    help = "Time search pages (median of N runs each) and, with --pages, listing pages per second."

    def add_arguments(self, parser):
        parser.add_argument("--queries", type=int, default=20, help="Runs per search query.")
        parser.add_argument("--pages", action="store_true", help="Also time the pages through Django's test client.")
        parser.add_argument("-q", "--query", action="append", dest="sample", help="A query to time (repeatable).")

    def handle(self, *args, queries, pages, sample, **options):
        total = Product.objects.browsable().count()
        self.stdout.write(f"{connection.vendor}, {total} browsable products, {queries} runs per query;"
                          " whole search page, page cache off")
        try:
            setup_test_environment()  # the test client then hands back each page's context
            own_setup = True
        except RuntimeError:  # already set up (the command run from a test)
            own_setup = False
        try:
            with override_settings(OCOP_PAGE_CACHE=False, RATELIMIT_ENABLE=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
                for text in sample or SAMPLE_QUERIES:
                    self._search_page(Client(), text, queries)
        finally:
            if own_setup:
                teardown_test_environment()
        if pages:
            self._pages(queries)

    def _search_page(self, client, text, runs):
        params = dict(parse_qsl(text)) if "q=" in text else {"q": text}  # a whole query string, filters too
        client.get("/search/", params)  # warm up
        timings, db_timings = [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/search/", params)
                timings.append((time.perf_counter() - started) * 1000)
            db_timings.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        more_than = response.context.get("more_than")
        found = f">{more_than}" if more_than else str(response.context["paginator"].count)
        self.stdout.write(f"  {text!r:16} {found:>6} found   page median {statistics.median(timings):6.1f} ms"
                          f"   database median {statistics.median(db_timings):6.1f} ms ({len(captured)} queries)"
                          f"   max {max(timings):6.1f} ms")

    def _pages(self, runs):
        client = Client()
        category = Category.objects.filter(depth=1).order_by("path").first()
        urls = ["/catalogue/", "/catalogue/?stars=4&sort=price_asc", "/search/?q=ca+phe+son+la",
                "/search/suggest/?q=ca+ph"]
        if category:
            urls.insert(2, category.get_absolute_url())
        for url in urls:
            client.get(url)  # warm up
            started = time.perf_counter()
            for _ in range(runs):
                status = client.get(url).status_code
            elapsed = time.perf_counter() - started
            self.stdout.write(f"  {url:40} {runs / elapsed:6.1f} req/s   (status {status})")
