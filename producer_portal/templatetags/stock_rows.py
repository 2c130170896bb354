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


@register.simple_tag(takes_context=True)
def stock_row(context, form, in_stock_label, price_label, alert_label):
    labels = {"num_in_stock": in_stock_label, "price": price_label}
    record = form.instance
    out = [plain_input(field) for field in form.hidden_fields()]
    if record.pk:
        edit_url, held_text = _page_constants(context)
        # as {% blocktrans %} writes it: the translation as it is, the number escaped
        held = held_text % {"n": escaped(localize(record.num_allocated or 0))}
        out.append(f'<div class="pp-record__head"><a href="{escaped(edit_url(record.pk))}">'
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


MARK = 918273645  # a pk no row has: where the record's pk goes in its page's URL


def _page_constants(context):
    """What every row of a page shares, worked out by its first row: the link to a record's own page
    (reversed once: reverse() per row was 50 URL resolutions a page, the same URL but for its pk)
    and the "held by orders" text in the page's language."""
    kept = context.render_context.get(_page_constants)
    if kept is None:
        head, tail = reverse("dashboard:producer-stock-edit", kwargs={"pk": MARK}).split(str(MARK))
        kept = (lambda pk: f"{head}{int(pk)}{tail}"), gettext("Held by orders: %(n)s")
        context.render_context[_page_constants] = kept
    return kept
