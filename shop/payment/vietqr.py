"""VietQR: the EMVCo merchant-presented QR payload of NAPAS 247, built by our code.

A banking app that scans it fills in the bank, account, amount and transfer note. Layout (EMVCo
QRCPS-MPM, NAPAS "VietQR" profile): ID, two-digit length, value; nested templates use the same
TLV form; the last field (63) is a CRC16/CCITT-FALSE over everything before it, "6304" included.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

NAPAS_GUID = "A000000727"  # NAPAS' application identifier for VietQR
SERVICE_TO_ACCOUNT = "QRIBFTTA"  # transfer to an account number (QRIBFTTC: to a card)
CURRENCY_VND = "704"  # ISO 4217 numeric
COUNTRY = "VN"


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"VietQR field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt_false(data: bytes) -> int:
    """CRC16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def transfer_note(order_number: str) -> str:
    """The order number alone, plain ASCII: banks truncate or strip long or accented notes (OCOP.md)."""
    return re.sub(r"[^A-Za-z0-9]", "", str(order_number))[:25]


def build_payload(*, bank_bin: str, account_number: str, amount: Decimal | int, note: str) -> str:
    """The VietQR string for a transfer of `amount` whole đồng to the account, with `note`."""
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.to_integral_value():
        raise ValueError("A VietQR amount is a positive whole number of đồng")
    beneficiary = _tlv("00", bank_bin) + _tlv("01", account_number)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TO_ACCOUNT)
    body = "".join([
        _tlv("00", "01"),  # payload format indicator
        _tlv("01", "12"),  # dynamic QR: the amount is fixed, for this order only
        _tlv("38", merchant),
        _tlv("53", CURRENCY_VND),
        _tlv("54", str(int(amount))),
        _tlv("58", COUNTRY),
        _tlv("62", _tlv("08", note)),  # 08: purpose of transaction, shown as the transfer note
    ]) + "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


@dataclass(frozen=True)
class TransferDetails:
    """What the shopper needs to pay an order by transfer, with or without scanning the code."""

    bank_bin: str
    bank_name: str
    account_number: str
    account_name: str
    amount: Decimal
    note: str
    payload: str

    def svg(self) -> str:
        """The QR code as inline SVG (made here: no outside QR service sees the order)."""
        import segno

        out = io.BytesIO()
        segno.make(self.payload, error="m", micro=False).save(
            out, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, title="VietQR", nl=False)
        return out.getvalue().decode("utf-8")


def transfer_details(order) -> TransferDetails:
    """The transfer details of an order: the shop's account from settings, the order's total and number."""
    amount = Decimal(order.total_incl_tax).quantize(Decimal(1))
    note = transfer_note(order.number)
    return TransferDetails(
        bank_bin=settings.VIETQR_BANK_BIN,
        bank_name=settings.VIETQR_BANK_NAME,
        account_number=settings.VIETQR_ACCOUNT_NUMBER,
        account_name=settings.VIETQR_ACCOUNT_NAME,
        amount=amount,
        note=note,
        payload=build_payload(bank_bin=settings.VIETQR_BANK_BIN, account_number=settings.VIETQR_ACCOUNT_NUMBER,
                              amount=amount, note=note),
    )
