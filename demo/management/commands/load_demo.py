from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from demo.steps import STEPS


class Command(BaseCommand):
    help = "Load the Sơn La demo catalogue and demo accounts (idempotent: safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the demo accounts.")

    def handle(self, *args, quiet_accounts=False, **options):
        accounts = []
        for dotted in STEPS:
            self.stdout.write(f"… {dotted}")
            with transaction.atomic():
                result = import_string(dotted)(stdout=self.stdout) or {}
            accounts.extend(result.pop("accounts", []))
            if result:
                self.stdout.write("  " + ", ".join(f"{k}: {v}" for k, v in result.items()))
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        if accounts and not quiet_accounts:
            self.stdout.write("\nDemo accounts (demo only; passwords are public):")
            for a in accounts:
                extra = f"  [{a['producer']}]" if a.get("producer") else ""
                self.stdout.write(f"  {a['role']:<10} {a['email']:<28} {a['password']}{extra}")
