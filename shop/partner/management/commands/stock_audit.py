"""`manage.py stock_audit`: recompute every stock record from its movements; exit 1 on any difference.

Prints one line per record whose num_in_stock or num_allocated is not the sum of its movements'
deltas (a write that went around shop/partner/stock.py), then a summary.
"""
import sys

from django.core.management.base import BaseCommand

from shop.partner import stock


class Command(BaseCommand):
    help = "Check every stock record against the stock ledger (sum of its movements); exit 1 on any difference."

    def handle(self, *args, **options):
        records = stock.StockRecord.objects.count()
        wrong = stock.audit()
        for difference in wrong:
            self.stdout.write(str(difference))
        if wrong:
            self.stderr.write(f"stock_audit: {len(wrong)} of {records} stock records differ from their movements")
            sys.exit(1)
        self.stdout.write(f"stock_audit: {records} stock records match their movements")
