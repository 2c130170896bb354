#!/usr/bin/env python
"""Django's command-line utility for OCOP Market."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018  (reads the settings: configuration errors surface here)
    except ImproperlyConfigured as exc:
        # A misconfiguration is one line for the person at the terminal, not a traceback wall.
        sys.stderr.write(f"ERROR: {exc}\n")
        sys.exit(1)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
