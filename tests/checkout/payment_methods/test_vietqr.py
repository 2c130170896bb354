"""The VietQR payload, decoded field by field with a parser of our own, and its CRC recomputed."""
import binascii
from decimal import Decimal

import pytest

from shop.payment.vietqr import build_payload, transfer_note


def parse_tlv(text: str) -> dict:
    """EMVCo TLV: two-digit ID, two-digit length, value; every field exactly once."""
    fields, i = {}, 0
    while i < len(text):
        tag, length = text[i:i + 2], int(text[i + 2:i + 4])
        value = text[i + 4:i + 4 + length]
        assert len(value) == length, f"field {tag} is cut short"
        assert tag not in fields, f"field {tag} twice"
        fields[tag] = value
        i += 4 + length
    return fields


@pytest.mark.parametrize("amount", [150000, 1, 987654321, Decimal("2500000")])
def test_every_field_of_the_payload_and_its_crc(amount):
    payload = build_payload(bank_bin="970436", account_number="0011223344", amount=amount, note="100042")

    fields = parse_tlv(payload)

    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01"
    assert fields["01"] == "12"  # dynamic: for one amount only
    merchant = parse_tlv(fields["38"])
    assert merchant["00"] == "A000000727"
    assert parse_tlv(merchant["01"]) == {"00": "970436", "01": "0011223344"}
    assert merchant["02"] == "QRIBFTTA"
    assert fields["53"] == "704"
    assert fields["54"] == str(int(amount))
    assert fields["58"] == "VN"
    assert parse_tlv(fields["62"]) == {"08": "100042"}
    assert payload.endswith("6304" + fields["63"])
    assert fields["63"] == f"{binascii.crc_hqx(payload[:-4].encode('ascii'), 0xFFFF):04X}"
    assert fields["63"] == fields["63"].upper() and len(fields["63"]) == 4


def test_payload_of_a_demo_order_stays_the_same():
    payload = build_payload(bank_bin="970436", account_number="0000000000", amount=150000, note="100123")

    assert payload == ("00020101021238540010A00000072701240006970436011000000000000208QRIBFTTA"
                       "53037045406150000" "5802VN62100806100123" "630423C4")


@pytest.mark.parametrize("amount", [0, -5, Decimal("150000.5")])
def test_an_amount_that_is_not_whole_positive_dong_is_refused(amount):
    with pytest.raises(ValueError):
        build_payload(bank_bin="970436", account_number="0000000000", amount=amount, note="1")


def test_transfer_note_is_the_order_number_in_plain_ascii():
    assert transfer_note("100042") == "100042"
    assert transfer_note("ĐH-1000 42") == "H100042"
