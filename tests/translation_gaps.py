"""Print every user-facing string of ours that has no Vietnamese translation yet:
`make i18n-gaps` (the same finder tests/test_translations.py uses)."""
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()

from tests.test_translations import python_msgids, template_msgids, untranslated  # noqa: E402

if __name__ == "__main__":
    gaps = untranslated(list(template_msgids()) + list(python_msgids()))
    print("\n".join(gaps) or "every string has a Vietnamese translation")
    sys.exit(1 if gaps else 0)
