"""Bad input at the basket and the last checkout step: a clear message, nothing half-written, no 500."""
import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.catalog_ext.storefront.helpers import product
from tests.checkout.payment_methods.checkout import GUEST_EMAIL, choose_payment, fill_basket, start_guest_checkout

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")


def basket_quantities(client):
    basket = client.get(reverse("basket:summary")).context["basket"]
    return {line.product.upc or line.product_id: line.quantity for line in basket.all_lines()}


@pytest.mark.parametrize("quantity", ["-1", "0", "abc", "1e3", str(10**12), "99999999999999999999999"])
def test_a_bad_quantity_added_to_the_basket_is_refused_with_a_message(client, quantity):
    fill_basket(client, (("CF-001", 1),))
    before = basket_quantities(client)

    response = client.post(reverse("basket:add", kwargs={"pk": product("DF-005").pk}), {"quantity": quantity},
                           HTTP_REFERER="/", follow=True)

    assert response.status_code == 200
    assert basket_quantities(client) == before
    assert [m for m in response.context["messages"] if m.level_tag in ("error", "warning")], "no message said why"


@pytest.mark.parametrize("quantity", ["-5", str(10**12), "x"])
def test_a_bad_quantity_typed_in_the_basket_changes_nothing(client, quantity):
    fill_basket(client, (("CF-001", 2),))
    page = client.get(reverse("basket:summary"))
    formset = page.context["formset"]
    data = {f"{formset.prefix}-TOTAL_FORMS": "1", f"{formset.prefix}-INITIAL_FORMS": "1",
            f"{formset.prefix}-MIN_NUM_FORMS": "0", f"{formset.prefix}-MAX_NUM_FORMS": "1000",
            f"{formset.prefix}-0-id": str(formset.forms[0].instance.pk),
            f"{formset.prefix}-0-quantity": quantity}
    before = basket_quantities(client)

    response = client.post(reverse("basket:summary"), data, follow=True)

    assert response.status_code == 200
    assert basket_quantities(client) == before


def test_a_basket_changed_in_another_tab_after_the_preview_is_not_ordered_unseen(client):
    start_guest_checkout(client, (("CF-001", 1),))
    choose_payment(client, "cod")
    preview = client.get(reverse("checkout:preview"))
    seen = preview.context["basket_fingerprint"]
    assert f'name="basket_fingerprint" value="{seen}"' in preview.content.decode()
    # Another tab adds a product after this tab showed the preview.
    fill_basket(client, (("DF-005", 1),))

    response = client.post(reverse("checkout:preview"), {"action": "place_order", "basket_fingerprint": seen},
                           follow=True)

    assert not Order.objects.filter(guest_email=GUEST_EMAIL).exists()
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("checkout:preview")
    assert "thay đổi" in " ".join(str(m) for m in response.context["messages"])
    assert len(basket_quantities(client)) == 2  # the basket is kept, with what the other tab added

    again = client.post(reverse("checkout:preview"),
                        {"action": "place_order", "basket_fingerprint": response.context["basket_fingerprint"]})
    assert again.status_code == 302 and again["Location"] == reverse("checkout:thank-you")
    assert Order.objects.get(guest_email=GUEST_EMAIL).lines.count() == 2


def test_placing_an_order_without_the_previewed_basket_is_refused(client):
    start_guest_checkout(client, (("CF-001", 1),))
    choose_payment(client, "cod")

    response = client.post(reverse("checkout:preview"), {"action": "place_order"})

    assert response.status_code == 302 and response["Location"] == reverse("checkout:preview")
    assert not Order.objects.filter(guest_email=GUEST_EMAIL).exists()
