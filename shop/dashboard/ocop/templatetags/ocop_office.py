"""`{% ocop_office_counts as counts %}`: the office's work list in figures, for the dashboard index."""
from django import template

from catalog_ext import expiry

register = template.Library()


@register.simple_tag
def ocop_office_counts() -> dict:
    return {
        "expiring": expiry.expiring_certificates().filter(renewed=False).count(),
        "expired": expiry.expired_certificates().filter(renewed=False).count(),
        "within_days": expiry.EXPIRING_WITHIN_DAYS,
    }
