"""Which typed fields are rich text (HTML printed as markup), sanitised when saved.

Every model field a person types HTML into that a page prints as markup is listed here; each is
cleaned with core.html.clean_html() on every save, whoever saves it (dashboard, producer portal,
admin, import), and printed again through `|clean_html`, which also covers rows written around
save(). Plain-text fields (a producer's story, a GI's description) are printed autoescaped and
are not listed: cleaning them would turn "&" into "&amp;" on the page.
tests/core/test_rich_text.py fails when a model gains a description-like text field that is in
neither list, so a new field has to be decided on.
"""
from __future__ import annotations

from django.apps import apps
from django.db.models.signals import pre_save

from core.html import clean_html

RICH_TEXT = {
    "catalogue.Product": ("description",),
    "catalogue.Category": ("description", "long_description"),
    "offer.ConditionalOffer": ("description",),
    "offer.Range": ("description",),
    "flatpages.FlatPage": ("content",),
}
# Typed text printed autoescaped (never as markup): not cleaned, listed so the choice is explicit.
PLAIN_TEXT = {
    "partner.Partner": ("story",),
    "catalog_ext.GeographicalIndication": ("description",),
    "showrooms.Showroom": ("opening_hours",),
}


def _clean_fields(fields):
    def receiver(sender, instance, raw=False, **kwargs):
        if raw:  # loaddata: the fixture's text as it was dumped
            return
        for name in fields:
            value = getattr(instance, name)
            if value:
                setattr(instance, name, clean_html(value))
    return receiver


_RECEIVERS = []


def connect() -> None:
    for label, fields in RICH_TEXT.items():
        receiver = _clean_fields(fields)
        _RECEIVERS.append(receiver)
        pre_save.connect(receiver, sender=apps.get_model(label), dispatch_uid=f"rich-text-{label}")
