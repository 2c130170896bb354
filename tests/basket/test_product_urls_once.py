"""The basket's and the checkout's lines link their products with ProductUrls (shop/basket/templatetags/
basket_rows.py): the catalogue's URL reversed once a page, a plain slug and the id put in place of
markers, anything else `get_absolute_url()` itself (basket8, issue 21: a reverse() a line). The text
must be `get_absolute_url()`'s for every slug and id, in both languages; a slug the URL refuses still
raises. (Fails on the old code: ProductUrls does not exist.)"""
import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from oscar.core.loading import get_model

from shop.basket.templatetags import basket_rows
from shop.basket.templatetags.basket_rows import ProductUrls

Product = get_model("catalogue", "Product")
SLUGS = ["ca-phe-son-la", "", "A_b-9", "cà-phê-sữa-đá", "x" * 200, "mận-hậu_2026", "ocopslugmark",
         "918273645"]
IDS = [1, 7, 42, 918_273_645, 2_000_000_000]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_urls_are_get_absolute_urls(language):
    with translation.override(language):
        urls = ProductUrls()
        assert urls._parts is not None  # the reversed-once way is taken
        for slug in SLUGS:
            for pk in IDS:
                product = Product(slug=slug, id=pk)
                assert urls.url(product) == product.get_absolute_url(), (slug, pk)


def test_a_slug_the_url_refuses_still_raises():
    urls = ProductUrls()
    for slug in ["a.b", "a/b", "a~b", "trà shan tuyết"]:
        with pytest.raises(NoReverseMatch):
            urls.url(Product(slug=slug, id=3))


def test_plain_slugs_are_not_reversed_again(monkeypatch):
    urls = ProductUrls()
    asked = []
    monkeypatch.setattr(Product, "get_absolute_url", lambda self: asked.append(self) or "/own/")
    # a product class with its own get_absolute_url is asked, whatever its slug
    assert urls.url(Product(slug="plain", id=5)) == "/own/" and len(asked) == 1
    monkeypatch.undo()
    called = []
    monkeypatch.setattr(basket_rows, "reverse", lambda *a, **k: called.append(a) or reverse(*a, **k))
    urls = ProductUrls()
    for pk in range(1, 11):
        urls.url(Product(slug=f"san-pham-{pk}", id=pk))
    assert len(called) == 1


@pytest.mark.django_db
def test_the_lines_description_is_oscars():
    """line_description (the rows' line title): Oscar's `line.description` for a line whose options are
    known to be none, known to be some, or not known (then read, as Oscar reads them)."""
    from shop.basket.models import know_prefetched
    from shop.basket.templatetags.basket_rows import line_description

    Line, LineAttribute = get_model("basket", "Line"), get_model("basket", "LineAttribute")
    Option = get_model("catalogue", "Option")

    def line(n, title):
        return Line(id=900_000 + n, product=Product(id=900_000 + n, title=title))

    plain, chosen, unknown = line(1, "Cà phê <Sơn La>"), line(2, "Trà shan tuyết"), line(3, "Mận hậu")
    know_prefetched(plain, "attributes", [])
    know_prefetched(chosen, "attributes", [LineAttribute(option=Option(name="Gói quà"), value="có"),
                                           LineAttribute(option=Option(name="Lời nhắn"), value=["a", "b"])])
    for each in (plain, chosen, unknown):
        assert line_description(each) == each.description
    assert line_description(chosen) == "Trà shan tuyết (Gói quà = 'có', Lời nhắn = 'a, b')"
