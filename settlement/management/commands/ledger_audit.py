"""`manage.py ledger_audit`: recompute every producer's balance; exit 1 on any difference."""
import sys

from django.core.management.base import BaseCommand

from settlement import audit


class Command(BaseCommand):
    help = "Recompute every producer's balance from orders, counter sales, refunds and payouts; exit 1 on a difference."

    def handle(self, *args, **options):
        result = audit.run()
        for problem in result.problems[:200]:
            self.stdout.write(f"DIFF  {problem}")
        self.stdout.write(f"ledger_audit: {result.rows} rows, {result.producers} producers, "
                          f"{len(result.problems)} differences")
        if not result.ok:
            sys.exit(1)
