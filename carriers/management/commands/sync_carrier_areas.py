"""`manage.py sync_carrier_areas ghn`: map our wards to GHN's district ids and ward codes."""
from django.core.management.base import BaseCommand, CommandError

from carriers import areas, registry
from carriers.base import CarrierError


class Command(BaseCommand):
    help = "Map our wards (vietnam-provinces) to a carrier's master data (GHN)."

    def add_arguments(self, parser):
        parser.add_argument("carrier", choices=["ghn"])

    def handle(self, *args, carrier, **options):
        adapter = registry.get(carrier)
        if adapter is None:
            raise CommandError(f"{carrier} is not configured (GHN_TOKEN, GHN_SHOP_ID)")
        try:
            mapped, unmatched = areas.sync_ghn(adapter)
        except CarrierError as error:
            raise CommandError(f"{carrier} did not answer: {error.message}") from error
        self.stdout.write(f"{mapped} wards mapped, {len(unmatched)} without a ward of that name at {carrier}")
        for line in unmatched[:50]:
            self.stdout.write(f"  {line}")
