"""`manage.py import_certificates list.csv [--commit]`: the dashboard's CSV import, from a shell.

Without --commit it only checks the file and prints what would happen (the dashboard's preview)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog_ext.importer import MAX_BYTES, import_certificates, parse_certificates


class Command(BaseCommand):
    help = "Check (and with --commit, import) the province's OCOP certificate list from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="Write the certificates (all or nothing).")

    def handle(self, *args, file: Path, commit: bool, **options):
        try:
            with file.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        result = parse_certificates(data)
        if result.ok and commit:
            result = import_certificates(rows=result.raw_rows())
        for line in result.error_lines:
            self.stderr.write(line)
        summary = (f"{len(result.rows)} rows: {result.count('new')} new, {result.count('unchanged')} unchanged, "
                   f"{result.count('error')} with errors")
        if not result.ok:
            raise CommandError(f"{summary}. Nothing was imported.")
        if commit:
            self.stdout.write(f"{summary}. Imported {len(result.created)} certificates.")
        else:
            self.stdout.write(f"{summary}. Checked only: run again with --commit to import.")
