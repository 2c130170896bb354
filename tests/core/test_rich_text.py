"""Typed rich text is sanitised when saved, on every path that saves it (shop/rich_text.py)."""
from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.db import models
from django.test import Client
from oscar.core.loading import get_model

from shop.rich_text import PLAIN_TEXT, RICH_TEXT
from tests.catalog_ext.storefront.helpers import product

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ISSUE_20 = ('<p>Chè ngon</p><script nonce="__OCOP_PAGE_CSP_NONCE__">alert(1)</script>'
            '<meta http-equiv="refresh" content="0;url=https://evil.example/"><a href="javascript:alert(1)">x</a>')


def test_a_product_description_is_cleaned_when_saved():
    tea = product("CF-001")
    tea.description = ISSUE_20
    tea.save()
    tea.refresh_from_db()
    assert tea.description == '<p>Chè ngon</p><a rel="noopener noreferrer nofollow">x</a>'


def test_a_flat_page_and_a_category_are_cleaned_when_saved():
    page = FlatPage.objects.create(url="/gioi-thieu/", title="Giới thiệu", content=ISSUE_20)
    category = Category.objects.first()
    category.description = ISSUE_20
    category.save()
    for saved in (FlatPage.objects.get(pk=page.pk).content, Category.objects.get(pk=category.pk).description):
        assert "<script" not in saved and "<meta" not in saved and "javascript:" not in saved


def test_the_dashboard_product_form_saves_a_clean_description():
    tea = product("CF-001")
    client = Client()
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))
    url = f"/dashboard/catalogue/products/{tea.pk}/"
    from tests.audit.formdata import form_data

    data = form_data(client.get(url).content.decode(), "create_update_product_form")
    data.update({"description": ISSUE_20, "action": "save"})
    response = client.post(url, data)
    assert response.status_code == 302
    tea.refresh_from_db()
    assert tea.description.startswith("<p>Chè ngon</p>") and "<script" not in tea.description


def test_every_typed_html_like_field_is_decided_rich_or_plain():
    """A new description/content/story/body text field must be put in RICH_TEXT or PLAIN_TEXT."""
    decided = {(label, f) for table in (RICH_TEXT, PLAIN_TEXT) for label, fields in table.items() for f in fields}
    undecided = []
    for model in apps.get_models():
        if model._meta.app_label not in {"catalogue", "offer", "flatpages", "partner", "catalog_ext",
                                         "showrooms", "pos", "producer_portal", "notifications"}:
            continue
        for field in model._meta.get_fields():
            if (isinstance(field, models.TextField) and not field.name.startswith("meta_")
                    and any(w in field.name for w in ("description", "content", "story", "body", "hours"))):
                if (model._meta.label, field.name) not in decided:
                    undecided.append(f"{model._meta.label}.{field.name}")
    assert undecided == []
