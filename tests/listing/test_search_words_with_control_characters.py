"""A signed-in shopper's words are recorded (Oscar's analytics: UserSearch) as they were typed,
less what no text column can hold. PostgreSQL refuses a NUL byte in text: a search for
"ca%00phe" by a signed-in customer was a 500 there (the bad-input crawl found it); SQLite took it."""
from __future__ import annotations

import pytest
from oscar.core.loading import get_model

from listing.ranking import SearchQuery
from tests.listing.test_kept_visitor_parts import _customer

pytestmark = pytest.mark.django_db
UserSearch = get_model("analytics", "UserSearch")


def test_the_words_keep_no_control_characters():
    query = SearchQuery.parse("ca\x00phe\x07 \x1b[31mmoc\tchau\x7f")
    assert query.text == "caphe [31mmoc chau"
    assert query.words == SearchQuery.parse("caphe [31mmoc chau").words


def test_a_signed_in_search_with_a_nul_byte_is_answered_and_recorded_without_it():
    client, user = _customer()
    response = client.get("/search/", {"q": "ca\x00phe moc chau"})
    assert response.status_code == 200
    assert list(UserSearch.objects.filter(user=user).values_list("query", flat=True)) == ["caphe moc chau"]
    assert "caphe moc chau" in response.content.decode()
