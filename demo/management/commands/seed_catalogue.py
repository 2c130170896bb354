from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo import synthetic


class Command(BaseCommand):
    help = (
        "Add N synthetic OCOP products (bulk inserts, for benchmarks). Each run adds another N: "
        f"UPCs {synthetic.UPC_PREFIX}NNNNNNNNNN continue after the highest already present."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, required=True, help="How many products to add (>= 1).")
        parser.add_argument("--batch", type=int, default=5000, help="Products per INSERT batch (default 5000).")

    def handle(self, *args, products, batch, **options):
        if products < 1:
            raise CommandError(f"--products must be a positive whole number, got {products}.")
        if batch < 1:
            raise CommandError(f"--batch must be a positive whole number, got {batch}.")

        def progress(done, total):
            self.stdout.write(f"… {done}/{total}")

        try:
            result = synthetic.seed(products, batch=batch, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        # Bulk inserts leave the planner's statistics stale until autovacuum runs: PostgreSQL then
        # picked plans that made a search at 100,000 products take 2 s instead of 45 ms.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result['products']} synthetic products ({result['first']} … {result['last']}) "
                f"in {result['seconds']:.1f} s."
            )
        )
