"""The shopper's order page draws its line rows with {% order_page_line_rows %}
(shop/order/templatetags/order_page_lines.py), not ~30 template nodes a line (issue 21): the rows must
be the old loop's, byte for byte, in Vietnamese and English."""
import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from tests.order_life.conftest import place_order

pytestmark = pytest.mark.django_db
Line, LineAttribute = get_model("order", "Line"), get_model("order", "LineAttribute")
Product, ProductReview = get_model("catalogue", "Product"), get_model("reviews", "ProductReview")

# The rows as templates/oscar/customer/order/order_detail.html wrote them before (its loop, verbatim).
BEFORE = Template("""{% load currency_filters display_tags i18n order_page_lines ocop_line_badges %}<tbody>
            {% trans 'Write a review' as review_label %}{% trans 'Re-ordering...' context 'Buy again' as reordering_label %}{% trans 'Re-order' context 'Buy again' as reorder_label %}{# the lines' words translated once for the page #}{% order_page_lines order user as ocop_lines %}{% for line in ocop_lines %}
                {% with product=line.product %}
                    <tr>
                        <td>
                            {% if product %}

                                {% if product.is_public %}
                                <p>
                                    <a href="{{ product.get_absolute_url }}">{{ line.description }}</a>
                                </p>
                                {% line_badges product %}
                                {% else %}
                                <p>{{ line.description }}</p>
                                {% endif %}

                                {% iffeature "reviews" %}
                                    {% if line.review_permitted %}
                                        <a class="btn btn-secondary" href="{% url 'catalogue:reviews-add' product_slug=product.slug product_pk=product.id %}#addreview">{{ review_label }}</a>
                                    {% endif %}
                                {% endiffeature %}
                            {% else %}
                                <p>
                                    {{ line.description }}
                                </p>
                            {% endif %}
                        </td>
                        <td>{{ line.quantity }}</td>
                        <td>{{ line.line_price_before_discounts_excl_tax|currency:order.currency }}</td>
                        <td>{{ line.line_price_before_discounts_incl_tax|currency:order.currency }}</td>
                        <td width="90">
                            {% if product and product.is_public %}
                                <form id="line_form_{{ line.id }}" action="{% url 'customer:order-line' order_number=order.number line_id=line.id %}" method="POST">
                                    {% csrf_token %}
                                    <input type="hidden" name="action" value="reorder" />
                                    <button id="reorder_line_{{ line.id }}" class="btn btn-success" type="submit" data-loading-text="{{ reordering_label }}">{{ reorder_label }}</button>
                                </form>
                            {% else %}
                                {% trans 'Not available anymore' %}
                            {% endif %}
                        </td>
                    </tr>
                {% endwith %}
            {% endfor %}
        </tbody>""")
AFTER = Template("""{% load order_page_lines %}<tbody>
            {% order_page_lines order user as ocop_lines %}{% order_page_line_rows order ocop_lines %}
        </tbody>""")


@pytest.fixture
def shopper(client):
    user = get_user_model().objects.create_user("dong-don", "dong.don@example.vn", "pw-123456-x")
    client.force_login(user)
    return user


def varied_order(user):
    """A public product with its badge, one already reviewed by the shopper, one no longer public, one
    whose product is gone, a title and an option that need escaping."""
    order = place_order(("CF-001", 1), ("CF-002", 2), ("TE-002", 3), ("CF-003", 1), user=user)
    first, second, third, fourth = order.lines.order_by("pk")
    ProductReview.objects.create(product=second.product, user=user, score=5, title="Ngon", body="Rất ngon")
    Line.objects.filter(pk=second.pk).update(title='Trà "Mộc Châu" <xanh> & 100%')
    Product.objects.filter(pk=third.product_id).update(is_public=False)
    Line.objects.filter(pk=fourth.pk).update(product=None, stockrecord=None)
    option = get_model("catalogue", "Option").objects.create(name='Gói <quà> "Tết"', code="goi-qua-tet")
    LineAttribute.objects.create(line=first, option=option, type=option.code, value="Có & đẹp")
    return order


def both(order, user, language, **extra):
    order = get_model("order", "Order").objects.get(pk=order.pk)
    with translation.override(language):
        before = BEFORE.render(Context({"order": order, "user": user, **extra}))
        after = AFTER.render(Context({"order": order, "user": user, **extra}))
    return before, after


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_are_the_old_loops_byte_for_byte(shopper, language):
    order = varied_order(shopper)
    before, after = both(order, shopper, language, csrf_token="tok<en>&1")
    assert after == before
    # four lines; the product gone has no review link, the reviewed one neither
    assert before.count("<tr>") == 4 and before.count("#addreview") == 2
    assert before.count('name="csrfmiddlewaretoken" value="tok&lt;en&gt;&amp;1"') == 2  # the public ones
    assert "Trà &quot;Mộc Châu&quot; &lt;xanh&gt; &amp; 100%" in after
    assert "Gói &lt;quà&gt; &quot;Tết&quot;" in after
    with translation.override(language):
        assert after.count(translation.gettext("Not available anymore")) == 2  # not public, gone


@pytest.mark.parametrize("csrf", [{}, {"csrf_token": "NOTPROVIDED"}])
def test_without_a_csrf_token_the_rows_are_the_same(shopper, csrf):
    before, after = both(varied_order(shopper), shopper, "vi", **csrf)
    assert after == before and "csrfmiddlewaretoken" not in after


@override_settings(OSCAR_HIDDEN_FEATURES=["reviews"])
def test_with_reviews_hidden_the_rows_are_the_same(shopper):
    before, after = both(varied_order(shopper), shopper, "en", csrf_token="t")
    assert after == before and "#addreview" not in after


def test_the_page_shows_those_rows(client, shopper):
    order = varied_order(shopper)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert page.status_code == 200
    before, _ = both(order, shopper, "vi", csrf_token=page.context["csrf_token"])
    rows = before[before.index("<tr>"):before.rindex("</tr>") + len("</tr>")]
    assert rows.count("<tr>") == 4 and rows in page.content.decode()


@pytest.mark.parametrize("slugs", [("cà-phê-sữa-đá", ""), ("ca_phe-01", "A-Z_09")])
def test_slugs_reverse_writes_quoted_or_plain_are_the_same(shopper, slugs):
    """The product's and the review's URLs are reversed once a page (office_orders._slug_url_of): a slug
    that reverse() quotes (Vietnamese letters) or an empty one gives the same URLs as before."""
    order = place_order(("CF-001", 1), ("CF-002", 2), user=shopper)
    for line, slug in zip(order.lines.order_by("pk"), slugs, strict=True):
        Product.objects.filter(pk=line.product_id).update(slug=slug)
    before, after = both(order, shopper, "vi", csrf_token="t")
    assert after == before and before.count("#addreview") == 2
    products = [line.product for line in order.lines.order_by("pk")]
    assert all(product.get_absolute_url() in after for product in products)
    if slugs[0] == "cà-phê-sữa-đá":
        assert "/c%C3%A0-ph%C3%AA-s%E1%BB%AFa-%C4%91%C3%A1_" in after


def test_slug_urls_reversed_once_are_reverses():
    from django.urls import NoReverseMatch

    from shop.templatetags.office_orders import _slug_url_of

    for name, slug_kwarg, pk_kwarg in (("catalogue:detail", "product_slug", "pk"),
                                       ("catalogue:reviews-add", "product_slug", "product_pk")):
        url_of = _slug_url_of(name, slug_kwarg, pk_kwarg)
        for slug in ("", "a", "ca-phe_01", "cà-phê", "ĐẶC-SẢN", "x" * 80):
            for pk in (1, 42, 10**12):
                assert url_of(slug, pk) == reverse(name, kwargs={slug_kwarg: slug, pk_kwarg: pk})
        for slug in ("a b", "a/b", "a.b"):  # not a slug the catalogue's URL takes: as reverse(), refused
            with pytest.raises(NoReverseMatch):
                url_of(slug, 1)


def test_the_lines_badges_come_from_the_compiled_query(client, shopper):
    """The page's badge facts are the basket's compiled values (shop/basket/lines.py), not whole product
    rows made by the ORM (catalog_ext.badges.attach_badges): fails before office2."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    order = varied_order(shopper)
    url = reverse("customer:order", kwargs={"order_number": order.number})
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    badge_reads = [q["sql"] for q in captured.captured_queries if "badge" in q["sql"] and "catalogue_product" in q["sql"]
                   and not q["sql"].startswith('SELECT "basket_line"')]  # the frame's basket lines carry theirs (basket8)
    assert len(badge_reads) == 1, badge_reads
    assert not re.search(r'"catalogue_product"\."title"', badge_reads[0]), badge_reads[0]
    before, _ = both(order, shopper, "vi", csrf_token=page.context["csrf_token"])
    rows = before[before.index("<tr>"):before.rindex("</tr>") + len("</tr>")]
    assert rows in page.content.decode()
