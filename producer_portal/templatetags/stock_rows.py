"""`{% stock_row form in_stock_label price_label alert_label %}`: one row of the producer's stock page
(the inside of its <li>): the record's hidden inputs, its title linked to its own page, the units
held by orders, and its three inputs with their labels and errors.

Written here rather than in the template because the page has 50 rows: as template tags each row
was about 30 nodes (loops over the hidden and visible fields, a lookup per attribute, a URL, a
blocktrans), most of the page's time after its inputs (issue 21). The markup is the one the
template wrote; tests/producer_portal/test_stock_rows.py holds the two equal, errors included."""
from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from shop.templatetags.plain_inputs import escaped, plain_input

register = template.Library()


@register.simple_tag
def stock_row(form, in_stock_label, price_label, alert_label):
    labels = {"num_in_stock": in_stock_label, "price": price_label}
    record = form.instance
    out = [plain_input(field) for field in form.hidden_fields()]
    if record.pk:
        # as {% blocktrans %} writes it: the translation as it is, the number escaped
        held = gettext("Held by orders: %(n)s") % {"n": escaped(localize(record.num_allocated or 0))}
        out.append(f'<div class="pp-record__head"><a href="{escaped(reverse("dashboard:producer-stock-edit", kwargs={"pk": record.pk}))}">'
                   f'{escaped(record.product.get_title())}</a><small>{escaped(record.partner_sku)}</small></div>'
                   f'<p class="small text-muted mb-1">{held}</p>')
    out += [f'<p class="text-danger">{escaped(error)}</p>' for error in form.non_field_errors()]
    out.append('<div class="pp-fields">')
    for field in form.visible_fields():
        errors = field.errors
        label = labels.get(field.name, alert_label)
        out.append(f'<div class="pp-field{" has-error" if errors else ""}">'
                   f'<label for="{escaped(field.auto_id)}">{escaped(label)}</label>{plain_input(field)}'
                   + "".join(f'<p class="invalid-feedback">{escaped(error)}</p>' for error in errors) + "</div>")
    out.append("</div>")
    return mark_safe("".join(out))
