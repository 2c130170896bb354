"""`manage.py badge_audit [--on YYYY-MM-DD]`: the badge periods against the rule itself.

Recomputes every product's star badge and GI tag for the day with the rule's own SQL (valid
certificates, newest first; a valid licence of the producer inside the GI's area) and compares
them with what pages read (the badge periods). Prints each product that differs and exits 1;
`--fix` rebuilds every product's periods first.
"""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from oscar.core.loading import get_model

from catalog_ext import badge_periods, rules
from catalog_ext.badges import with_badges, with_rule_badges

Product = get_model("catalogue", "Product")


class Command(BaseCommand):
    help = "Compare each product's badge periods with the badge rule, for a day (today)."

    def add_arguments(self, parser):
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None, help="the day (YYYY-MM-DD)")
        parser.add_argument("--fix", action="store_true", help="rebuild every product's periods first")

    def handle(self, *args, on=None, fix=False, **options):
        on = on or rules.today()
        if fix:
            badge_periods.refresh_all()
        rows = with_rule_badges(with_badges(Product.objects.order_by("pk"), on), on).values_list(
            "pk", "title", "badge_stars", "badge_potential_five", "badge_number", "badge_gi_ok",
            "rule_stars", "rule_potential_five", "rule_number", "rule_gi_ok")
        wrong = 0
        for pk, title, *stored_and_rule in rows.iterator(chunk_size=2000):
            stored, rule = stored_and_rule[:4], stored_and_rule[4:]
            rule = [rule[0], bool(rule[1]), rule[2] or "", bool(rule[3])]
            stored = [stored[0], bool(stored[1]), stored[2] or "", bool(stored[3])]
            if stored != rule:
                wrong += 1
                self.stdout.write(f"product {pk} {title!r}: pages show {stored}, the rule says {rule}")
        if wrong:
            raise CommandError(f"{wrong} products' badges differ from the rule on {on:%d/%m/%Y}")
        self.stdout.write(f"badges of every product match the rule on {on:%d/%m/%Y}")
