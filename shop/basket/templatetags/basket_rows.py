"""`{% basket_line_rows formset %}`: the basket page's lines (templates/oscar/basket/partials/basket_content.html),
each written in Python: the text the template's loop wrote, byte for byte (whitespace included).

The loop was ~40 template nodes a line (two `get_absolute_url`, the thumbnail tag, the purchase
info tag, four inputs, two prices, the badges, the `with`/`if` scopes): ~2,000 Python calls a line,
a fifth of the basket page of 10 lines (issue 21). The values are the template's (the same calls:
Oscar's thumbnailer with the tag's options and its error handling, `request.strategy.fetch_for_line`
as `{% purchase_info_for_line %}`, the shop's `currency` filter, `{% plain_input %}`, `{% line_badges %}`),
each escaped as `{{ }}` escapes it. tests/basket/test_basket_line_rows.py renders the old loop beside
it (Vietnamese and English, signed in or not, errors, HTML in titles)."""
import logging
import re

from django import forms, template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import smart_str
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from oscar.apps.basket.abstract_models import AbstractLine
from oscar.apps.catalogue.abstract_models import AbstractProduct
from oscar.core.loading import get_class
from oscar.core.thumbnails import get_thumbnailer

from shop.basket.lines import purchase_info, with_line_badges
from shop.order.templatetags.ocop_line_badges import line_badges
from shop.templatetags.ocop_currency import currency
from shop.templatetags.plain_inputs import attributes, escaped, plain_hidden_form, plain_input
from shop.thumbnails import primary_image

register = template.Library()
logger = logging.getLogger("oscar.thumbnail")  # where {% oscar_thumbnail %} logs a failed thumbnail
E = conditional_escape
BaseBasketLineFormSet = get_class("basket.formsets", "BaseBasketLineFormSet")
BasketLineForm = get_class("basket.forms", "BasketLineForm")


def thumbnail_url(product, thumbnailer=None, image=None) -> str:
    """`{% with image=product.primary_image %}{% oscar_thumbnail image.original "100x100" upscale=False as thumb %}`
    then `{{ thumb.url }}`: a failed thumbnail is logged (raised under OSCAR_THUMBNAIL_DEBUG) and draws nothing.
    `thumbnailer`: Oscar's get_thumbnailer(), made once for a page's lines (it holds nothing of a line);
    `image`: the product's primary image when already read (PageThumbnails)."""
    image = product.primary_image() if image is None else image
    source = image.get("original", "") if isinstance(image, dict) else image.original
    try:
        thumb = (thumbnailer or get_thumbnailer()).generate_thumbnail(source, size="100x100", upscale=False)
    except Exception as exc:
        if getattr(settings, "OSCAR_THUMBNAIL_DEBUG", settings.DEBUG):
            raise
        logger.exception(exc)
        return ""
    return E(thumb.url)


class PageThumbnails:
    """thumbnail_url for the lines of one page, the same text, with less asked again per line (issue 21:
    ~1,100 calls a request for 10 lines, a tenth of the basket page's rendering):
    - the primary image read from the product's prefetched images (Oscar's all_lines prefetches them;
      `primary_image()` builds two related managers and a queryset slice a line to read them);
    - a product without a photo: Oscar's placeholder asked of the product once a page (each
      `get_missing_image()` looks for the placeholder's file on disk);
    - a photo already thumbnailed on this page (the placeholder of every line without one, the same
      file on two lines): its URL written again; a failed thumbnail is not kept (asked and logged
      again, as each line did).
    Anything unusual (a variant, which may show its parent's photos; images not prefetched; another
    `primary_image`, or images not kept in display order): the product's own `primary_image()`."""

    def __init__(self):
        self.thumbnailer = get_thumbnailer()
        self._missing = {}  # product class → the dict primary_image() returns without a photo
        self._urls = {}  # (source's name, its storage) → the thumbnail's URL, escaped

    def _primary_image(self, product):
        return primary_image(product, self._missing)

    def url(self, product) -> str:
        image = self._primary_image(product)
        source = image.get("original", "") if isinstance(image, dict) else image.original
        key = (getattr(source, "name", source), id(getattr(source, "storage", None)))
        if key not in self._urls:
            url = thumbnail_url(product, self.thumbnailer, image=image)
            if not url:  # failed: not kept
                return url
            self._urls[key] = url
        return self._urls[key]


# A slug reverse() writes as it is and that the catalogue's `[\w-]*` takes (empty included); the markers
# stand where a product's slug and id go in its URL reversed once a page.
PLAIN_SLUG = re.compile(r"[A-Za-z0-9_-]*")
_SLUG_MARK, _PK_MARK = "ocopslugmark", 918_273_645


class ProductUrls:
    """`product.get_absolute_url()` for the lines of one page (Oscar's `reverse("catalogue:detail",
    kwargs={"product_slug": slug, "pk": id})`), the URL reversed once with markers: a plain slug and a
    whole-number id go in their places, the text reverse() writes for them (it quotes none of those
    characters). Any other slug (Vietnamese letters, which reverse() quotes), another id, or a product
    class with its own get_absolute_url: the product's own get_absolute_url(). A reverse() a line was
    ~0.15 ms of the basket page's CPU (issue 21)."""

    def __init__(self):
        self._parts = None
        try:
            marked = reverse("catalogue:detail", kwargs={"product_slug": _SLUG_MARK, "pk": _PK_MARK})
        except NoReverseMatch:
            return
        pk = str(_PK_MARK)
        if marked.count(_SLUG_MARK) == 1 and marked.count(pk) == 1 and marked.index(_SLUG_MARK) < marked.index(pk):
            head, rest = marked.split(_SLUG_MARK)
            middle, tail = rest.split(pk)
            self._parts = (head, middle, tail)

    def url(self, product) -> str:
        slug, pk = product.slug, product.pk
        if (self._parts is not None and type(product).get_absolute_url is AbstractProduct.get_absolute_url
                and type(slug) is str and type(pk) is int and pk >= 0 and PLAIN_SLUG.fullmatch(slug)):
            head, middle, tail = self._parts
            return f"{head}{slug}{middle}{pk}{tail}"
        return product.get_absolute_url()


def line_description(line) -> str:
    """`line.description` (Oscar's: the product's title, then its options): a line whose options are
    known to be none (prefetched, empty: shop/basket/reads.py knows them for every line it reads) is
    its product's text, without building the related manager and its queryset to find nothing."""
    known = getattr(line, "_prefetched_objects_cache", {}).get("attributes")
    if (type(line).description is AbstractLine.description and known is not None
            and known._result_cache is not None and not known._result_cache):
        return smart_str(line.product)
    return line.description


def _price(line, amount_incl, amount_excl, label) -> str:
    """The price column's `{% if not … %}&mdash;{% else %}<p>…</p>{% endif %}` (the other half of
    Oscar's condition names a value that does not exist: always empty)."""
    if not amount_incl:
        return ('\n                                    <p class="text-right">&mdash;</p>\n'
                '                                ')
    amount = amount_incl if line.is_tax_known else amount_excl
    return ('\n                                    <p class="price_color text-right">\n'
            f'                                        <span class="price-title d-md-none">{label}:</span>\n'
            '                                        \n'
            f'                                            {E(currency(amount, line.price_currency))}\n'
            '                                        \n'
            '                                    </p>\n'
            '                                ')


def _errors(errors) -> str:
    text = ""
    for field_errors in errors.values():
        text += "\n                                            "
        for error in field_errors:
            text += ('\n                                                <span class="error-block">'
                     f'<i class="fas fa-exclamation"></i> {E(error)}</span>\n'
                     '                                            ')
        text += "\n\n                                        "
    return text


_UNBOUND_PLAIN = {"id": forms.HiddenInput, "quantity": forms.NumberInput, "save_for_later": forms.CheckboxInput,
                  "DELETE": forms.CheckboxInput}


def _plain_fields(form) -> bool:
    """The form's fields are the plain, enabled ones (optional, or hidden: the line's id) Oscar's
    BasketLineForm and the formset give, and the form is unbound: its inputs can be written from
    its initial values."""
    fields = form.fields
    return not (form.is_bound or form.auto_id != "id_%s" or set(fields) != set(_UNBOUND_PLAIN)
                or any(type(fields[name].widget) is not kind or fields[name].disabled
                       or (fields[name].required and not fields[name].widget.is_hidden)  # a hidden input is never `required`
                       or fields[name].help_text
                       or fields[name].show_hidden_initial or getattr(fields[name].widget, "is_localized", False)
                       for name, kind in _UNBOUND_PLAIN.items()))


def _written(fields, prefix, values, quantity_label, quantity_attrs=None) -> tuple:
    """The four inputs of an unbound line form, as `{% plain_input %}` writes them: `fields` the form's
    (or the formset's empty form's: the same fields), `prefix` the form's, `values` each field's
    initial value, `quantity_attrs` what the form's __init__ put on its quantity widget (Oscar: max)."""
    written = []
    for name, extra in (("id", {}), ("quantity", {"aria-label": quantity_label}), ("save_for_later", {}), ("DELETE", {})):
        field, html_name = fields[name], f"{prefix}-{name}" if prefix else name
        widget = field.widget
        given_attrs = {**widget.attrs, **quantity_attrs} if name == "quantity" and quantity_attrs else widget.attrs
        if name == "quantity":  # widget_tweaks' class append, as plain_input does it
            given = given_attrs.get("class")
            extra["class"] = f"{given} form-control" if given else "form-control"
        attrs = {**given_attrs, **extra}
        attrs.setdefault("id", f"id_{html_name}")
        value = field.prepare_value(values[name])
        if kind_is_checkbox := isinstance(widget, forms.CheckboxInput):
            if widget.check_test(value):
                attrs["checked"] = True
        text = f'<input type="{widget.input_type}" name="{escaped(html_name)}"'
        shown = widget.format_value(value)
        if shown is not None and not (kind_is_checkbox and shown == ""):
            text += f' value="{escaped(shown)}"'
        written.append(mark_safe(text + attributes(attrs) + ">"))
    return tuple(written)


def _inputs(form, quantity_label) -> tuple:
    """The line's four inputs: `{% plain_input %}`'s text. An unbound form of plain fields (_plain_fields)
    is written here from the form's initial values, without four BoundFields and widget contexts
    (~40 % of the line's work); anything else goes through plain_input."""
    if not _plain_fields(form):
        return (plain_input(form["id"]), plain_input(form["quantity"], add_class="form-control", aria_label=quantity_label),
                plain_input(form["save_for_later"]), plain_input(form["DELETE"]))
    values = {name: form.get_initial_for_field(form.fields[name], name) for name in _UNBOUND_PLAIN}
    return _written(form.fields, form.prefix, values, quantity_label)


def _quantity_max(line, basket_max_allowed):
    """What Oscar's BasketLineForm.__init__ puts on the quantity input as `max` (None: nothing)."""
    num_available = getattr(line.purchase_info.availability, "num_available", None)
    if all([num_available, basket_max_allowed]):
        return min(num_available, basket_max_allowed)
    return num_available or basket_max_allowed


_INDEX, _ID, _QUANTITY, _MAX = "\x00index\x00", "\x00id\x00", "\x00quantity\x00", "\x00max\x00"


def _shown(field, value) -> str:
    """A text input's value attribute as _written writes it (the field's prepared value, the widget's
    text, escaped)."""
    return escaped(field.widget.format_value(field.prepare_value(value)))


def _fill(text: str, filled: dict) -> str:
    for marker, value in filled.items():
        text = text.replace(marker, value)
    return text


def _as_opened(formset, quantity_label):
    """The page as opened (GET): the formset unbound, made by Oscar's basket formset and line form
    with nothing added. Then its lines, each with its four inputs, are written without building a
    form a line (each deep-copying its fields, ~370 calls): from one empty form (the same fields; a
    form differs from it only by its line's id and quantity, and the `max` Oscar's form __init__
    puts on the quantity from the line's stock and the basket's limit, worked out here the same
    way; the purchase info it asks for is the line's own, already worked out by the page's
    warnings). Anything else (a bound formset after a refused update, another form class): None,
    and the forms are built and written as before."""
    form_class = formset.form
    if (formset.is_bound or not isinstance(formset, BaseBasketLineFormSet)
            or not issubclass(form_class, BasketLineForm) or form_class.__init__ is not BasketLineForm.__init__
            or formset.extra or formset.initial or getattr(formset, "initial_extra", None) or formset.form_kwargs
            or any(getattr(type(formset), name) is not getattr(BaseBasketLineFormSet, name)
                   for name in ("_construct_form", "add_fields", "get_form_kwargs", "__iter__", "forms_with_instances"))):
        return None
    # formset.empty_form, with the strategy Oscar's _construct_form hands every line form
    sample = form_class(formset.strategy, auto_id=formset.auto_id, prefix=formset.add_prefix("__prefix__"),
                        empty_permitted=True, use_required_attribute=False, renderer=formset.form_renderer,
                        **formset.get_form_kwargs(None))
    formset.add_fields(sample, None)
    if not _plain_fields(sample):
        return None
    values = {name: sample.get_initial_for_field(sample.fields[name], name) for name in ("save_for_later", "DELETE")}
    # The four inputs written once for the page with markers (\x00…\x00: in no value or name) where a
    # line's index, id, quantity and max go, with and without a max; each line's then by replacement.
    marked = {with_max: _written(sample.fields, formset.add_prefix(_INDEX), {**values, "id": _ID, "quantity": _QUANTITY},
                                 quantity_label, {"max": _MAX} if with_max else None)
              for with_max in (True, False)}
    id_field, quantity_field = sample.fields["id"], sample.fields["quantity"]
    basket_max = {}
    opened = []
    for index, line in enumerate(formset.get_queryset()):  # form `index` is the line's form
        if not line.id:  # the formset's __iter__: only lines still there
            continue
        basket = line.basket
        if id(basket) not in basket_max:
            basket_max[id(basket)] = basket.max_allowed_quantity()[0]
        most = _quantity_max(line, basket_max[id(basket)])
        filled = {_INDEX: str(index), _ID: _shown(id_field, line.pk), _QUANTITY: _shown(quantity_field, line.quantity),
                  _MAX: escaped(most) if most else ""}
        inputs = tuple(mark_safe(_fill(text, filled)) for text in marked[bool(most)])
        opened.append((line, inputs, ""))
    return opened


@register.simple_tag
def basket_management_form(formset):
    """`{% plain_hidden_form formset.management_form %}`, the formset looked up by attribute: the template's
    `formset.management_form` first tries `formset["management_form"]`, which builds every form."""
    return plain_hidden_form(formset.management_form)


@register.simple_tag
def basket_lines(formset):
    """The formset's lines (`formset.get_queryset` in a template builds every form first, see above),
    their products with today's badges (`{% ocop_with_badges %}`'s, shop/basket/lines.py)."""
    return with_line_badges(formset.get_queryset())


@register.simple_tag(takes_context=True)
def basket_line_rows(context, formset):
    request, user = context["request"], context.get("user")
    labels = {key: E(gettext(text)) for key, text in (
        ("quantity", "Quantity"), ("updating", "Updating..."), ("update", "Update"), ("remove", "Remove"),
        ("save", "Save for later"), ("price", "Price"), ("total", "Total"))}
    signed_in = user is not None and user.is_authenticated
    shown = _as_opened(formset, labels["quantity"])
    if shown is None:  # built forms: a refused update's errors, or not Oscar's plain formset
        shown = [(form.instance, _inputs(form, labels["quantity"]), form) for form in formset]
    thumbnails = PageThumbnails() if shown else None
    urls = ProductUrls() if shown else None
    rows = []
    for index, (line, inputs, form) in enumerate(shown):
        product = line.product
        session = purchase_info(request, line)
        id_input, quantity_input, save_input, delete_input = inputs
        errors = form.errors if form else None
        url = E(urls.url(product))
        counter0 = E(localize(index))  # {{ forloop.counter0 }}
        save_link = ('\n                                            | <a href="#" data-id="'
                     f'{counter0}" data-behaviours="save">{labels["save"]}</a>\n                                        '
                     if signed_in else "")
        rows.append(
            "\n                \n                    \n"
            '                    <div class="basket-items">\n'
            '                        <div class="row">\n'
            '                            <div class="col-md-2">\n'
            f"                                {id_input}\n"
            "                                \n"
            "                                    \n"
            f'                                    <a href="{url}">\n'
            f'                                        <img class="img-thumbnail w-auto mx-auto my-0" src="{thumbnails.url(product)}" alt="{E(product.get_title())}"/>\n'
            "                                    </a>\n"
            "                                \n"
            "                            </div>\n"
            '                            <div class="col-md-4">\n'
            f'                                <h3><a href="{url}">{E(line_description(line))}</a></h3>\n'
            f"                                {E(line_badges(product))}\n"
            f'                                <p class="availability {E(session.availability.code)}">{E(session.availability.message)}</p>\n'
            "                            </div>\n"
            '                            <div class="col-md-3">\n'
            '                                <div class="checkout-quantity">\n'
            f'                                    <div class="input-group {"error" if errors else ""}">\n'
            f"                                        {quantity_input}\n"
            '                                    <div class="input-group-append">\n'
            f'                                        <button class="btn btn-secondary" type="submit" data-loading-text="{labels["updating"]}">{labels["update"]}</button>\n'
            "                                    </div>\n"
            "                                    </div>\n"
            "                                </div>\n"
            '                                    <div class="basket-line-actions">\n'
            f'                                        <a href="#" data-id="{counter0}" data-behaviours="remove">{labels["remove"]}</a>\n'
            f"                                        {save_link}\n"
            '                                        <div style="display:none">\n'
            f"                                            {save_input}\n"
            f"                                            {delete_input}\n"
            "                                        </div>\n"
            f"                                        {_errors(errors) if errors else ''}\n"
            "                                    </div>\n"
            "\n"
            "                            </div>\n"
            '                            <div class="col-md-1">\n'
            f"                                {_price(line, line.unit_price_incl_tax, line.unit_price_excl_tax, labels['price'])}\n"
            "                            </div>\n"
            '                            <div class="col-md-2">\n'
            "\n"
            f"                                {_price(line, line.line_price_incl_tax, line.line_price_excl_tax, labels['total'])}\n"
            "                            </div>\n"
            "                        </div>\n"
            "                    </div>\n"
            "                \n"
            "            ")
    return mark_safe("".join(rows))
