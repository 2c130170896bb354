"""The typo fallback's vocabulary follows the catalogue: saved products, bulk seeds, renames."""
import pytest

from catalog_ext.models import SearchWord
from catalog_ext.search_text import words_of

pytestmark = pytest.mark.django_db


def test_the_words_of_a_saved_product_join_the_vocabulary():
    from tests.checkout.stock.factories import make_product

    make_product(title="Mứt sơn tra Bắc Yên 250g", stock=5)
    known = set(SearchWord.objects.values_list("word", flat=True))
    assert {"mut", "son", "tra", "bac", "yen"} <= known
    assert "250g" in known and not {"250", "m"} & known  # whole numbers and single letters are not words


def test_the_demo_catalogue_is_in_the_vocabulary():
    assert {"arabica", "shan", "tuyet", "xoai", "chau"} <= set(SearchWord.objects.values_list("word", flat=True))


def test_seeded_products_add_their_words_but_not_their_numbers():
    import io

    from django.core.management import call_command

    call_command("seed_catalogue", "--products", "20", stdout=io.StringIO())
    known = set(SearchWord.objects.values_list("word", flat=True))
    assert "mau" in known  # "(mẫu N)"
    assert not any(word.isdigit() for word in known)


def test_words_of_keeps_letters_and_mixed_words_only():
    assert words_of("ca phe son la 500g 2024 x") == {"ca", "phe", "son", "la", "500g"}
