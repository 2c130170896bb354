"""The basket page as opened (GET) writes its lines without a Django form a line (issue 21,
shop/basket/templatetags/basket_rows.py `_as_opened`): each of the 10 forms deep-copied its fields
and asked its line's stock for the quantity's max, ~370 Python calls a line, and the template's
`formset.management_form` / `formset.get_queryset` built them all (a template tries
`formset["management_form"]` first). A POST still validates through Oscar's formset
(tests/basket/test_basket_line_rows.py: a refused quantity's errors).

The page's line form must stay what the forms and the old template wrote, byte for byte: Vietnamese
and English, the quantity's max from the line's stock and Oscar's basket limit (none, a negative one),
a product whose stock is not tracked (no stock figure: the basket's limit alone, or no max)."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from tests.basket.test_basket_line_rows import BEFORE, LOAD
from tests.speed.test_query_counts_by_size import _basket_of

pytestmark = pytest.mark.django_db
Line = get_model("basket", "Line")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")

# templates/oscar/basket/partials/basket_content.html's form as it was before: the management form and
# the lines' queryset looked up on the formset (which built every form), the lines from the forms.
OLD_FORM = Template(LOAD + """        <form method="post" class="basket_summary" id="basket_formset">
            {% csrf_token %}
            {% plain_hidden_form formset.management_form %}

            {% ocop_with_badges formset.get_queryset as ocop_basket_lines %}
""" + BEFORE.source[len(LOAD):] + """
        </form>""")
FORM_START = '        <form method="post" class="basket_summary" id="basket_formset">'


def _form_of(html: str) -> str:
    start = html.index(FORM_START)
    return html[start:html.index("</form>", start) + len("</form>")]


def _without_tokens(html: str) -> str:
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1…", html)


@pytest.fixture
def customer(client):
    user = get_user_model().objects.create_user("khach-mo-gio", "khach-mo-gio@example.vn", "mat-khau-2026")
    client.force_login(user)
    _basket_of(client, 3)
    return user


def test_the_page_as_opened_builds_no_line_form(client, customer):
    """Fails on the old code: the template's formset look-ups built the three forms."""
    page = client.get(reverse("basket:summary"))
    formset = page.context["formset"]
    assert "forms" not in formset.__dict__  # BaseFormSet.forms (a cached property) never asked
    html = page.content.decode()
    assert html.count('<div class="basket-items">') == 3
    for index, line in enumerate(Line.objects.filter(basket__owner=customer).order_by("pk")):
        assert f'<input type="hidden" name="form-{index}-id" value="{line.pk}" id="id_form-{index}-id">' in html


@pytest.mark.parametrize("threshold", [10000, None, 2])  # Oscar's default, no limit, one below the basket's 3 items
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_form_as_opened_is_the_forms_bytes(client, customer, language, threshold):
    lines = list(Line.objects.filter(basket__owner=customer).select_related("product").order_by("pk"))
    untracked = ProductClass.objects.create(name="Không theo dõi kho", slug="khong-theo-doi-kho", track_stock=False)
    Product.objects.filter(pk=lines[1].product_id).update(product_class=untracked)
    Line.objects.filter(pk=lines[2].pk).update(quantity=2)

    with override_settings(OSCAR_MAX_BASKET_QUANTITY_THRESHOLD=threshold), translation.override(language):
        page = client.get(reverse("basket:summary"), HTTP_ACCEPT_LANGUAGE=language)
        assert "forms" not in page.context["formset"].__dict__
        old = OLD_FORM.render(Context({"formset": page.context["formset"], "request": page.wsgi_request,
                                       "user": page.context["user"], "csrf_token": page.context["csrf_token"]}))
    now = _form_of(page.content.decode())
    assert _without_tokens(now) == _without_tokens(old)
    quantities = re.findall(r'<input type="number" name="form-\d-quantity"[^>]*>', now)
    assert len(quantities) == 3 and 'value="2"' in quantities[2]
    if threshold is None:  # the untracked product's line has no figure to cap it
        assert "max=" not in quantities[1] and "max=" in quantities[0]
    elif threshold == 2:  # Oscar's limit minus the basket's 4 items: -2 on every line
        assert all('max="-2"' in quantity for quantity in quantities)
    else:
        assert 'max="9996"' in quantities[1]
