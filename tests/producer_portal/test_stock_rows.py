"""The stock page's rows are written by {% stock_row %} (producer_portal/templatetags/stock_rows.py), not
by ~30 template nodes a row (issue 21): the page must show what the template showed, with Django's
own inputs, for a page as read and for a post refused with errors (a title that needs escaping too)."""
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.producer_portal.conftest import order_of, stock_page_as_posted

pytestmark = pytest.mark.django_db

# The rows as the template wrote them before, with Django's widgets for the inputs.
BEFORE = Template("""{% load i18n %}
{% trans "In stock" as in_stock_label %}{% trans "Price (₫)" as price_label %}{% trans "Alert below" as alert_label %}
{{ formset.management_form }}
<ul class="pp-list">{% for form in formset %}
        <li class="pp-record" data-record="{{ form.instance.pk }}">
            {% for hidden in form.hidden_fields %}{{ hidden }}{% endfor %}
            {% if form.instance.pk %}<div class="pp-record__head"><a href="{% url 'dashboard:producer-stock-edit' pk=form.instance.pk %}">{{ form.instance.product.get_title }}</a><small>{{ form.instance.partner_sku }}</small></div>
            <p class="small text-muted mb-1">{% blocktrans with n=form.instance.num_allocated|default:0 %}Held by orders: {{ n }}{% endblocktrans %}</p>{% endif %}
            {% for error in form.non_field_errors %}<p class="text-danger">{{ error }}</p>{% endfor %}
            <div class="pp-fields">
            {% for field in form.visible_fields %}
                <div class="pp-field{% if field.errors %} has-error{% endif %}">
                    <label for="{{ field.auto_id }}">{% if field.name == "num_in_stock" %}{{ in_stock_label }}{% elif field.name == "price" %}{{ price_label }}{% else %}{{ alert_label }}{% endif %}</label>
                    {{ field }}
                    {% for error in field.errors %}<p class="invalid-feedback">{{ error }}</p>{% endfor %}
                </div>
            {% endfor %}
            </div>
        </li>{% endfor %}</ul>""")


def structure(html: str, start_at: str = "") -> list[tuple]:
    """Tags (attributes sorted), and text without the spaces between tags, from the management
    form's first input (or `start_at`) to the end of the rows' list."""
    found, state = [], {"on": False, "done": False}

    class Parts(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if not state["on"] and tag == "input" and dict(attrs).get("name", "").endswith("TOTAL_FORMS"):
                state["on"] = True
            if state["on"] and not state["done"] and tag != "section":  # the card around the list
                found.append(("<", tag, tuple(sorted(attrs))))

        def handle_endtag(self, tag):
            if state["on"] and not state["done"] and tag != "section":
                found.append((">", tag))
                if tag == "ul":
                    state["done"] = True

        def handle_data(self, data):
            if state["on"] and not state["done"] and data.strip():
                found.append(("text", " ".join(data.split())))

    Parts().feed(html)
    return found


def _same_rows(page):
    formset = page.context["formset"]
    assert formset.forms
    shown = structure(page.content.decode())
    before = structure(BEFORE.render(Context({"formset": formset})))
    assert shown == before
    return shown


def test_the_rows_are_the_ones_the_template_wrote(client_a, producer_a):
    record = producer_a.stockrecords.select_related("product").order_by("pk").first()
    record.product.title = 'Cà phê "Chiềng Mai" <rang> & xay'
    record.product.save()
    order_of((record.partner_sku, 2))  # units held by an order: the row says so

    shown = _same_rows(client_a.get(reverse("dashboard:producer-stock")))

    assert ("text", 'Cà phê "Chiềng Mai" <rang> & xay') in shown
    assert ("text", "Đang giữ cho đơn: 2") in shown


def test_a_refused_post_shows_the_same_rows_and_errors(client_a):
    page = client_a.get(reverse("dashboard:producer-stock"))
    data = stock_page_as_posted(page)
    data["form-0-num_in_stock"] = "-3"
    data["form-1-price"] = "12.5"

    answer = client_a.post(reverse("dashboard:producer-stock"), data)

    assert answer.status_code == 200
    shown = _same_rows(answer)
    assert sum(1 for part in shown if part[:2] == ("<", "p") and ("class", "invalid-feedback") in part[2]) >= 2


# The rows as the page wrote them from the formset's forms, one {% stock_row %} a form (before the
# page as read wrote its rows from the records, stock_rows.stock_page_rows).
FROM_FORMS = Template("""{% load i18n stock_rows %}{% trans "In stock" as in_stock_label %}{% trans "Price (₫)" as price_label %}{% trans "Alert below" as alert_label %}<ul class="pp-list">
    {% for form in formset %}
        <li class="pp-record" data-record="{{ form.instance.pk }}">
            {% stock_row form in_stock_label price_label alert_label %}
        </li>
    {% empty %}
        <li><p class="pp-empty">{% trans "No products yet." %}</p></li>
    {% endfor %}
    </ul>""")


def _list_of(html: str) -> str:
    start = html.index('<ul class="pp-list">')
    rows = html[start:html.index("</ul>", start) + len("</ul>")]
    return rows


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_page_as_read_writes_the_rows_the_forms_wrote_byte_for_byte(client_a, producer_a, language, settings):
    """The rows written from the records equal the ones written from 50 forms: a title to escape,
    no alert threshold, units held by an order, in both languages."""
    records = list(producer_a.stockrecords.select_related("product").order_by("pk"))
    records[0].product.title = 'Cà phê "Chiềng Mai" <rang> & xay %(n)s'
    records[0].product.save()
    records[1].low_stock_threshold = None
    records[1].save()
    order_of((records[2].partner_sku, 3))
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client_a.get(reverse("dashboard:producer-stock"), HTTP_ACCEPT_LANGUAGE=language)

    with translation.override(language):
        before = FROM_FORMS.render(Context({"formset": page.context["formset"]}))
    shown = _list_of(page.content.decode())
    assert shown.count('<li class="pp-record"') == len(records)
    assert shown == before
    assert "&lt;rang&gt; &amp; xay %(n)s" in shown


def test_a_page_as_read_builds_one_form(client_a, producer_a, monkeypatch):
    """Its inputs are the first row's form's, for every row (fails on the old page: a form a row)."""
    from producer_portal.forms import StockQuickForm

    built = []
    original = StockQuickForm.__init__
    monkeypatch.setattr(StockQuickForm, "__init__", lambda self, *a, **k: built.append(1) or original(self, *a, **k))

    page = client_a.get(reverse("dashboard:producer-stock"))

    assert page.status_code == 200
    assert producer_a.stockrecords.count() > 1
    assert len(built) == 1  # the old page: one a row (fails there: 5)
