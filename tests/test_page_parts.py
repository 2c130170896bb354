from tests.page_parts import comparable


def test_two_drawings_of_a_page_either_side_of_a_minute_compare_equal_and_a_real_difference_does_not():
    def drawn(minute, token, nonce, price="150.000 ₫"):
        return (f'<meta name="created" content="7th Dec 2026 06:{minute}" /><script nonce="{nonce}"></script>'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}"><p>{price}</p>')

    assert comparable(drawn("14", "aaa", "n1")) == comparable(drawn("15", "bbb", "n2"))
    assert comparable(drawn("14", "aaa", "n1")) != comparable(drawn("14", "aaa", "n1", price="151.000 ₫"))
