"""`manage.py search_rows_audit [--on YYYY-MM-DD] [--fix]`: the search table against the ORM (PostgreSQL).

Compares every row of listing_searchrow (migration listing 0004, kept by triggers) with what the
product table, the badge periods and the stock records say for the day (listing.search_rows.audit):
a missing or extra row, a different text, vector, date, price, GI, producer, group, badge or
stock; and a lexeme of a vector missing from listing_searchlexeme (migration listing 0005: a
superset, whose stale lexemes are counted for information only). Prints each difference and exits
1; `--fix` writes every row again (and makes the lexeme set exact) first.
"""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from listing import search_rows


class Command(BaseCommand):
    help = "Compare the search table with the products, badge periods and stock records (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None, help="the day (YYYY-MM-DD)")
        parser.add_argument("--fix", action="store_true", help="write every product's row again first")

    def handle(self, *args, on=None, fix=False, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("no search table here: the search reads the product table (not PostgreSQL)")
            return
        if fix:
            search_rows.rebuild()
        differences = search_rows.audit(on=on)
        for pk, column, stored, expected in differences[:200]:
            if pk is None:  # a vector's lexeme missing from listing_searchlexeme
                self.stdout.write(f"{column}: in a vector, missing from the lexeme set")
                continue
            self.stdout.write(f"product {pk}: {column} is {stored!r} in the search table, {expected!r} in the catalogue")
        self.stdout.write(f"{search_rows.stale_lexemes()} lexemes of the lexeme set in no vector any more (harmless)")
        if differences:
            products = len({pk for pk, *_ in differences if pk is not None})
            raise CommandError(f"{len(differences)} differences in {products} products' search rows")
        self.stdout.write("every browsable product's search row matches the catalogue")
