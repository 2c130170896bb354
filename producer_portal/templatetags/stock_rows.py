"""`{% stock_row form in_stock_label price_label alert_label %}`: one row of the producer's stock page
(the inside of its <li>): the record's hidden inputs, its title linked to its own page, the units
held by orders, and its three inputs with their labels and errors.

Written here rather than in the template because the page has 50 rows: as template tags each row
was about 30 nodes (loops over the hidden and visible fields, a lookup per attribute, a URL, a
blocktrans), most of the page's time after its inputs (issue 21). The markup is the one the
template wrote; tests/producer_portal/test_stock_rows.py holds the two equal, errors included.

`{% stock_page formset as stock %}`: the page's management form, its errors and the rows to loop
over, read from the formset here: in a template, any lookup on a formset (`formset.management_form`)
first tries formset["management_form"], which builds every form of it. A page as read (unbound) writes its
rows from the records themselves, with the inputs of ONE form built for the page's first row: 50
model forms each deep-copied their six fields (and their widgets) for inputs that differ only by
the row's number and values, a third of the page's function calls (issue 21). A posted page (its
values and errors are the forms') loops over the formset's forms as before."""
from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from shop.templatetags.plain_inputs import PLAIN, attributes, escaped, plain_input

register = template.Library()


@register.simple_tag
def stock_page(formset):
    return {"management_form": formset.management_form, "non_form_errors": formset.non_form_errors(),
            "rows": _rows(formset)}


def _rows(formset):
    if formset.is_bound:
        return list(formset)
    records = list(formset.get_queryset())
    if not records:
        return []
    first = formset._construct_form(0, **formset.get_form_kwargs(0))
    inputs = UnboundInputs(first, formset.prefix)
    return [UnboundRow(index, record, inputs) for index, record in enumerate(records)]


class UnboundInputs:
    """A page's inputs as its first row's form writes them (type, attributes, the widget's way with
    a value), for any row: only the name, the id and the value change from row to row. Which
    value a field shows is the model formset's: the record's own (model_to_dict), `shown_in_stock`
    the record's count (StockQuickForm.__init__), `id` the record's pk (add_fields)."""

    def __init__(self, form, prefix):
        self.prefix = prefix
        self.hidden = [self._field(bound) for bound in form.hidden_fields()]
        self.visible = [self._field(bound) for bound in form.visible_fields()]

    def _field(self, bound):
        widget = bound.field.widget
        if type(widget) not in PLAIN or getattr(widget, "is_localized", False) or bound.field.show_hidden_initial:
            raise TypeError(f"{bound.name}: not a plain input")  # plain_input would go through Django's template
        attrs = dict(widget.get_context(bound.html_name, None, bound.build_widget_attrs({}, widget))["widget"]["attrs"])
        has_id = bool(bound.auto_id) and "id" not in widget.attrs
        attrs.pop("id", None) if has_id else None
        kind = widget.input_type
        return bound.name, bound.field, widget, kind, attrs, has_id

    def value_of(self, name, record):
        if name == "id":
            return record.pk
        if name == "shown_in_stock":
            return record.num_in_stock
        return record._meta.get_field(name).value_from_object(record)  # as model_to_dict reads it

    def write(self, index, record, field_spec):
        name, field, widget, kind, attrs, has_id = field_spec
        html_name = f"{self.prefix}-{index}-{name}"
        auto_id = f"id_{html_name}"
        if has_id:
            attrs = {**attrs, "id": auto_id}
        value = widget.format_value(field.prepare_value(self.value_of(name, record)))
        text = f'<input type="{escaped(kind)}" name="{escaped(html_name)}"'
        if value is not None:
            text += f' value="{escaped(value)}"'
        return text + attributes(attrs) + ">", auto_id


class UnboundRow:
    """A row of a page as read: what the template asks of a form (its record), and its markup."""

    def __init__(self, index, record, inputs):
        self.index, self.instance, self.inputs = index, record, inputs


@register.simple_tag(takes_context=True)
def stock_row(context, form, in_stock_label, price_label, alert_label):
    labels = {"num_in_stock": in_stock_label, "price": price_label}
    if isinstance(form, UnboundRow):
        return _unbound_row(context, form, labels, alert_label)
    record = form.instance
    out = [plain_input(field) for field in form.hidden_fields()]
    if record.pk:
        out.append(_head(context, record))
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


def _unbound_row(context, row, labels, alert_label):
    inputs, record, index = row.inputs, row.instance, row.index
    out = [inputs.write(index, record, spec)[0] for spec in inputs.hidden]
    out.append(_head(context, record))
    out.append('<div class="pp-fields">')
    for spec in inputs.visible:
        markup, auto_id = inputs.write(index, record, spec)
        out.append(f'<div class="pp-field"><label for="{escaped(auto_id)}">{escaped(labels.get(spec[0], alert_label))}</label>'
                   f"{markup}</div>")
    out.append("</div>")
    return mark_safe("".join(out))


def _head(context, record):
    """The record's title linked to its page, its SKU and the units orders hold."""
    edit_url, held_text = _page_constants(context)
    # as {% blocktrans %} writes it: the translation as it is, the number escaped
    held = held_text % {"n": escaped(localize(record.num_allocated or 0))}
    return (f'<div class="pp-record__head"><a href="{escaped(edit_url(record.pk))}">'
            f'{escaped(record.product.get_title())}</a><small>{escaped(record.partner_sku)}</small></div>'
            f'<p class="small text-muted mb-1">{held}</p>')


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
