"""Oscar's and Django's admin and dashboard pages answer a bad form with the form and its errors,
never a 500 (each found by the bad-input crawl, tests/shop/test_bad_input_crawl.py, as the
superuser). Records the shop makes itself (basket lines, voucher uses, review votes, offer
conditions and benefits, producer notices) are shown in the admin, not added or edited there."""
import pytest
from django.contrib.messages import get_messages
from oscar.core.loading import get_model
from oscar.test.factories import ConditionalOfferFactory

Category = get_model("catalogue", "Category")
ProductClass = get_model("catalogue", "ProductClass")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Condition = get_model("offer", "Condition")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["basket/line", "voucher/voucherapplication", "reviews/vote",
                                   "offer/condition", "offer/benefit", "notifications/notification"])
def test_records_the_shop_makes_are_not_added_in_the_admin(admin_client, model):
    assert admin_client.post(f"/admin/{model}/add/", {"_save": "Lưu"}).status_code == 403
    listing = admin_client.get(f"/admin/{model}/")
    assert listing.status_code == 200
    assert f'href="/admin/{model}/add/"' not in listing.content.decode()


def test_an_offers_condition_is_not_edited_in_the_admin(admin_client):
    offer = ConditionalOfferFactory()
    url = f"/admin/offer/condition/{offer.condition.pk}/change/"
    assert admin_client.get(url).status_code == 200  # shown, read only
    assert admin_client.post(url, {"type": "", "value": "", "_save": "Lưu"}).status_code == 403
    offer.condition.refresh_from_db()
    assert offer.condition.type


def test_an_address_without_its_customer_is_a_form_error(admin_client):
    answer = admin_client.post("/admin/address/useraddress/add/", {"_save": "Lưu"})
    assert answer.status_code == 200
    assert "user" in answer.context["adminform"].form.errors


def test_an_autocomplete_value_that_is_no_id_is_a_form_error(admin_client):
    answer = admin_client.post("/admin/catalogue/productcategory/add/",
                               {"product": "\u202eتسوق", "category": "abc", "_save": "Lưu"})
    assert answer.status_code == 200
    assert set(answer.context["adminform"].form.errors) == {"product", "category"}


def test_the_category_trees_action_form_posted_empty_answers(admin_client):
    Category.add_root(name="Đồ uống")
    answer = admin_client.post("/admin/catalogue/category/", {})
    assert answer.status_code in (200, 302)


def test_a_category_saved_with_an_empty_name_shows_the_form_again(admin_client):
    category = Category.add_root(name="Đồ uống")
    answer = admin_client.post(f"/dashboard/catalogue/categories/{category.pk}/update/", {"name": ""})
    assert answer.status_code == 200
    assert "name" in answer.context["form"].errors
    assert category.get_absolute_url() in answer.content.decode()  # "View on site" links the saved one
    category.refresh_from_db()
    assert category.name == "Đồ uống"


def test_a_product_type_still_in_use_is_not_deleted(admin_client):
    product_class = ProductClass.objects.filter(products__isnull=False).first()
    answer = admin_client.post(f"/dashboard/catalogue/product-type/{product_class.pk}/delete/", {"name": "x"})
    assert answer.status_code == 302
    assert ProductClass.objects.filter(pk=product_class.pk).exists()
    assert any("sản phẩm vẫn được gán" in str(m) for m in get_messages(answer.wsgi_request))


def test_a_product_type_not_in_use_is_deleted_by_its_button_alone(admin_client):
    unused = ProductClass.objects.create(name="Thử nghiệm")
    page = admin_client.get(f"/dashboard/catalogue/product-type/{unused.pk}/delete/")
    assert 'name="name"' not in page.content.decode()  # no edit form to fill in to confirm
    answer = admin_client.post(f"/dashboard/catalogue/product-type/{unused.pk}/delete/")
    assert answer.status_code == 302
    assert not ProductClass.objects.filter(pk=unused.pk).exists()


def test_downloading_selected_orders_with_a_blank_selection(admin_client):
    answer = admin_client.post("/dashboard/orders/", {"selected_order": ["", "abc"],
                                                      "action": "download_selected_orders"})
    assert answer.status_code in (200, 302)


def test_an_offer_page_posted_without_an_action_goes_back_to_it(admin_client):
    offer = ConditionalOfferFactory()
    answer = admin_client.post(f"/dashboard/offers/{offer.pk}/", {})
    assert answer.status_code == 302 and answer["Location"] == f"/dashboard/offers/{offer.pk}/"
    offer.refresh_from_db()
    assert not offer.is_suspended


def test_offer_restrictions_with_a_combination_that_is_no_offer(admin_client):
    offer = ConditionalOfferFactory()
    answer = admin_client.post(f"/dashboard/offers/{offer.pk}/restrictions/",
                               {"combinations": ["abc"], "priority": "0"})
    assert answer.status_code == 200
    assert "combinations" in answer.context["form"].errors
