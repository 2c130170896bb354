from banking.notes import candidate_numbers


def test_digit_runs_and_runs_split_by_spaces_are_candidates():
    assert candidate_numbers("MBVCB.3278907687.100042.NGUYEN VAN A") == ["3278907687", "100042"]
    assert "100042" in candidate_numbers("TT 1000 42")
    assert candidate_numbers("DH100042") == ["100042"]


def test_short_numbers_and_non_text_are_no_candidates():
    assert candidate_numbers("ck 12 345") == ["12345"][:0] or candidate_numbers("ck 12 345") == []
    assert candidate_numbers(None) == []
    assert candidate_numbers("") == []


def test_a_number_inside_a_longer_reference_is_not_taken():
    assert "100042" not in candidate_numbers("FT25340100042")
