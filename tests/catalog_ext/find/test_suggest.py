"""Autocomplete: JSON for the search box."""
import pytest
from oscar.core.loading import get_model

from catalog_ext.badges import badges_for

Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db


def test_suggestions_json_shape(client):
    response = client.get("/search/suggest/", {"q": "ca ph"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "max-age=60" in response["Cache-Control"]
    data = response.json()
    assert data["query"] == "ca ph"
    assert 1 <= len(data["results"]) <= 8
    for item in data["results"]:
        assert set(item) == {"title", "url", "price", "stars", "image"}
        product = Product.objects.get(title=item["title"])
        assert item["url"].endswith(product.get_absolute_url())
        assert item["price"].endswith(" ₫") and "." in item["price"]
        assert item["stars"] == badges_for(product).stars
    assert data["results"][0]["title"].startswith("Cà phê")


def test_suggestions_show_no_stars_for_a_lapsed_certificate(client):
    data = client.get("/search/suggest/", {"q": "gao nep tan"}).json()
    assert [r["title"] for r in data["results"]] == ["Gạo nếp Tan Mường Lầm 2kg"]
    assert data["results"][0]["stars"] is None


def test_at_most_eight_suggestions(client):
    data = client.get("/search/suggest/", {"q": "son"}).json()  # Sơn La, Mai Sơn, Mộc Sơn…
    assert len(data["results"]) == 8


@pytest.mark.parametrize("query", ["", "c", " c ", "%", "_", "'%_\\"])
def test_fewer_than_two_characters_suggest_nothing(client, query):
    response = client.get("/search/suggest/", {"q": query})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_long_query_suggests_normally(client):
    response = client.get("/search/suggest/", {"q": "x" * 2000})
    assert response.status_code == 200
    assert len(response.json()["query"]) == 200
