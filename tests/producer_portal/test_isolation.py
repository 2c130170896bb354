"""Producer A, signed in, asks for every dashboard URL with the ids of producer B's objects: each
answer is 403/404, or a page (after redirects) that shows nothing of B's."""
from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from oscar.core.loading import get_model

from catalog_ext.models import Certificate, CertificateReminder
from notifications import services as notices
from notifications.models import Notification
from producer_portal.models import StockImport

from .conftest import order_of, record

StockAlert = get_model("partner", "StockAlert")
pytestmark = pytest.mark.django_db
B_SKUS = ("TE-001", "TE-002", "TE-003")


def dashboard_patterns():
    """(url name, [parameter names]) of every named URL in the dashboard namespace."""
    _, root = get_resolver().namespace_dict["dashboard"]
    found = []

    def walk(patterns, params):
        for entry in patterns:
            names = list(params) + list(re.findall(r"<(?:\w+:)?(\w+)>", str(entry.pattern)))
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, names)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((entry.name, names))

    walk(root.url_patterns, [])
    return found


@pytest.fixture
def b_objects(producer_b):
    """B's objects of every kind a dashboard URL can name, and the text that would give them away."""
    b_only = order_of(("TE-002", 1))
    mixed = order_of(("CF-002", 1), ("TE-001", 1))
    tea = record("TE-002")
    tea.low_stock_threshold = tea.num_in_stock  # now below its threshold: Oscar opens an alert
    tea.save()
    certificate = Certificate.objects.filter(product__producer=producer_b).first()
    reminder = CertificateReminder.objects.create(certificate=certificate, threshold_days=30)
    notices.queue_certificate_reminder(reminder)
    b_import = StockImport.objects.create(partner=producer_b, changes=[{"id": tea.pk, "sku": "TE-002", "line": 2,
                                                                         "num_in_stock": 1}])
    ids = {
        "product": tea.product_id, "stockrecord": tea.pk, "partner": producer_b.pk,
        "user": producer_b.users.first().pk, "certificate": certificate.pk,
        "alert": StockAlert.objects.get(stockrecord=tea).pk,
        "notification": Notification.objects.filter(partner=producer_b).first().pk,
        "line": mixed.lines.get(partner=producer_b).pk, "b_line": b_only.lines.get().pk,
    }
    titles = [record(sku).product.title for sku in B_SKUS]
    secrets = [*B_SKUS, *titles, str(b_only.number), certificate.number, producer_b.name]
    return {"ids": ids, "numbers": [b_only.number, mixed.number], "token": str(b_import.token),
            "secrets": secrets, "mixed": mixed}


def candidate_kwargs(params, b):
    """Every way to fill the URL's parameters with B's ids (each id for each integer parameter)."""
    if not params:
        yield {}
        return
    name, rest = params[0], params[1:]
    if name == "number":
        values = b["numbers"]
    elif name == "token":
        values = [b["token"]]
    elif name in ("code", "slug", "code_or_slug"):
        values = ["moc-chau-tea"]
    elif name == "hash":
        values = ["x"]
    else:
        values = sorted(set(b["ids"].values()))
    for value in values:
        for more in candidate_kwargs(rest, b):
            yield {name: value, **more}


def test_producer_a_sees_nothing_of_producer_b_on_any_dashboard_url(client_a, b_objects):
    checked, leaks = 0, []
    for name, params in dashboard_patterns():
        for kwargs in candidate_kwargs(params, b_objects):
            try:
                url = reverse(f"dashboard:{name}", kwargs=kwargs)
            except Exception:  # a parameter of another type (e.g. a uuid): nothing of B's to name
                continue
            for method in ("get",):  # writes by id: test_editing_* and test_fulfilment
                response = getattr(client_a, method)(url, follow=True)
                checked += 1
                if response.status_code in (403, 404, 405):
                    continue
                body = response.content.decode("utf-8", "replace")
                if response.status_code != 200:
                    leaks.append(f"{method.upper()} {url}: {response.status_code}")
                    continue
                shown = [s for s in b_objects["secrets"] if s in body]
                if shown:
                    leaks.append(f"{method.upper()} {url} -> {response.redirect_chain[-1:]} shows {shown}")
    assert checked > 300
    assert leaks == []


def test_b_data_is_what_b_sees(client_b, b_objects):
    """The markers are real: B's own pages show them (the test above could not pass by accident)."""
    home = client_b.get(reverse("dashboard:producer-home")).content.decode()
    assert b_objects["ids"]["b_line"] and "Chè Ô long Mộc Châu 250g" in home  # low stock
    order_page = client_b.get(reverse("dashboard:producer-order", kwargs={"number": b_objects["numbers"][0]}))
    assert "TE-002" in order_page.content.decode()


def test_editing_another_producers_stock_record_by_id_is_a_404(client_a):
    tea = record("TE-002")
    url = reverse("dashboard:producer-stock-edit", kwargs={"pk": tea.pk})
    assert client_a.get(url).status_code == 404
    assert client_a.post(url, {"num_in_stock": 0, "price": 1, "low_stock_threshold": 0}).status_code == 404
    tea.refresh_from_db()
    assert tea.num_in_stock > 0


def test_a_user_of_no_producer_gets_404_on_portal_pages(client, db):
    user = get_user_model().objects.get(email="khach@ocop.demo")
    client.force_login(user)
    assert client.get(reverse("dashboard:producer-stock")).status_code in (302, 403)  # no dashboard access
