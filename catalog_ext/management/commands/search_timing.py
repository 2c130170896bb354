"""Print how long catalogue search and listing take on this database: a benchmark, not a test.

    manage.py search_timing --queries 20           # median time of each search, ORM only
    manage.py search_timing --queries 20 --pages   # and requests per second of the listing pages
"""
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_class, get_model

from catalog_ext.ranking import SearchQuery, search

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

SAMPLE_QUERIES = ("ca phe son la", "che shan tuyet", "xoai yen chau", "chieng mai", "mat ong", "arabca", "gao nep tan")


class Command(BaseCommand):
    help = "Time search queries (median of N runs each) and, with --pages, listing pages per second."

    def add_arguments(self, parser):
        parser.add_argument("--queries", type=int, default=20, help="Runs per search query.")
        parser.add_argument("--pages", action="store_true", help="Also time the pages through Django's test client.")
        parser.add_argument("-q", "--query", action="append", dest="sample", help="A query to time (repeatable).")

    def handle(self, *args, queries, pages, sample, **options):
        browsable_products = get_class("search.views", "browsable_products")
        paginator_class = get_class("search.views", "ProductPaginator")
        total = Product.objects.browsable().count()
        self.stdout.write(f"{connection.vendor}, {total} browsable products, {queries} runs per query")
        for text in sample or SAMPLE_QUERIES:
            query = SearchQuery.parse(text)
            timings, db_timings, found = [], [], 0
            for _ in range(queries):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    results = search(browsable_products(), query).order_by("-relevance", "-date_created", "-pk")
                    # As the search page does: count, then page 1 (ids first, then 24 cards).
                    paginator = paginator_class(results, 24, cards=browsable_products())
                    found = paginator.count
                    list(paginator.page(1))
                    timings.append((time.perf_counter() - started) * 1000)
                db_timings.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            self.stdout.write(f"  {text!r:20} {found:6} found   median {statistics.median(timings):6.1f} ms"
                              f" (database {statistics.median(db_timings):6.1f} ms, {len(captured)} queries)"
                              f"   max {max(timings):6.1f} ms")
        if pages:
            self._pages(queries)

    def _pages(self, runs):
        from django.test import Client

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
