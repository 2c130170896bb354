"""The office's order list draws its rows with {% office_order_rows %} (shop/templatetags/office_orders.py),
not ~25 template nodes an order (issue 21): the rows must be the template's, byte for byte."""
import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from tests.producer_portal.conftest import order_of

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")

# The rows as templates/oscar/dashboard/orders/order_list.html wrote them before.
BEFORE = Template("""{% load currency_filters i18n %}<tbody>
                {% for order in orders %}
                    <tr>
                        <td><input type="checkbox" name="selected_order" class="selected_order" value="{{ order.id }}"/></td>
                        <td><a href="{% url 'dashboard:order-detail' number=order.number %}">{{ order.number }}</a></td>
                        <td>{{ order.total_incl_tax|currency:order.currency }}</td>
                        <td>{{ order.num_items }}</td>
                        <td>{% if order.status %}{% trans order.status %}{% else %}-{% endif %}</td>
                        <td>
                            {% if order.guest_email %}
                                {{ order.guest_email }}
                            {% elif order.user %}
                                <a href="{% url 'dashboard:user-detail' pk=order.user.id %}">{{ order.user.get_full_name|default:order.user.email }}</a>
                            {% else %}
                                &lt;{% trans "Deleted" %}&gt;
                            {% endif %}
                        </td>
                        <td>{{ order.shipping_address|default:"-" }}</td>
                        <td>{{ order.billing_address|default:"-" }}</td>
                        <td>{{ order.date_placed }}</td>
                        <td>
                            <a class="btn btn-secondary" href="{% url 'dashboard:order-detail' number=order.number %}">{% trans "View" %}</a>
                        </td>
                    </tr>
                {% endfor %}
                </tbody>""")
AFTER = Template("""{% load office_orders %}<tbody>
                {% office_order_rows orders %}
                </tbody>""")


@pytest.fixture
def office():
    client = Client()
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))
    return client


def varied_orders():
    """A guest's order, a customer's with a name to escape, one with only an email, one whose customer
    is gone, one with no status and no shipping address, and an order of several lines."""
    User = get_user_model()
    named = User.objects.create_user("rows-named", "named@example.vn", "pw", first_name='Hà <b>"Thu"</b>',
                                     last_name="& Co")
    plain = User.objects.create_user("rows-plain", "plain@example.vn", "pw")
    orders = [order_of(("CF-001", 1)) for _ in range(5)] + [order_of(("CF-001", 2), ("TE-002", 3))]
    Order.objects.filter(pk=orders[1].pk).update(user=named, guest_email="")
    Order.objects.filter(pk=orders[2].pk).update(user=plain, guest_email="")
    Order.objects.filter(pk=orders[3].pk).update(user=None, guest_email="")
    Order.objects.filter(pk=orders[4].pk).update(status="", shipping_address=None, guest_email='a&b"<x>@example.vn')
    return orders


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_are_the_templates_byte_for_byte(office, language):
    varied_orders()
    page = office.get(reverse("dashboard:order-list"))
    assert page.status_code == 200
    orders = page.context["orders"]
    assert len(orders) >= 6
    with translation.override(language):
        before = BEFORE.render(Context({"orders": orders}))
        after = AFTER.render(Context({"orders": orders}))
    assert after == before
    assert "Hà &lt;b&gt;&quot;Thu&quot;&lt;/b&gt; &amp; Co" in after and "plain@example.vn" in after
    assert "a&amp;b&quot;&lt;x&gt;@example.vn" in after
    assert ("&lt;Đã xóa&gt;" if language == "vi" else "&lt;Deleted&gt;") in after


def test_the_page_shows_those_rows(office):
    varied_orders()
    page = office.get(reverse("dashboard:order-list"))
    before = BEFORE.render(Context({"orders": page.context["orders"]}))
    rows = before[before.index("<tr>"):before.rindex("</tr>") + len("</tr>")]
    assert rows.count("<tr>") >= 6 and rows in page.content.decode()
