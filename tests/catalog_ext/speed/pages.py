"""What the page-cache tests read off the demo's catalogue pages."""
from django.test import Client


def card(html, item) -> str:
    """The product card of `item` on a listing page, "" when it is not there."""
    for chunk in html.split('<article class="product_pod">')[1:]:
        if item.get_absolute_url() in chunk:
            return chunk.split("</article>")[0]
    return ""


def listing(item) -> str:
    """The catalogue page that lists `item` (the demo fills two pages), fetched anonymously."""
    for number in (1, 2, 3):
        url = f"/catalogue/?page={number}"
        response = Client().get(url)
        assert response.status_code == 200, response.status_code
        if card(response.content.decode(), item):
            return url
    raise AssertionError("not listed")
