import sys

from django.core.management.base import BaseCommand

from shop.health import check_broker, check_cache, check_database


class Command(BaseCommand):
    help = "Check the database and broker; print one clear line for each problem and exit 1 if the database is down."

    def handle(self, *args, **options):
        database, why_db = check_database()
        broker, why_broker = check_broker()
        cache, why_cache = check_cache()
        if database != "ok":
            self.stderr.write(f"ERROR: {why_db}. Check DATABASE_URL.")
        if broker == "down":
            self.stderr.write(f"WARNING: {why_broker}. Check REDIS_URL / CELERY_BROKER_URL; "
                              "orders still work, background jobs wait for the broker.")
        if cache == "down":
            self.stderr.write(f"WARNING: {why_cache}. Check REDIS_URL.")
        if database != "ok":
            sys.exit(1)
        self.stdout.write(f"database: {database}, broker: {broker}, cache: {cache}")
