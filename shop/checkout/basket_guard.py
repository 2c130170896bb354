"""What the shopper saw on the preview page is what gets ordered.

Oscar places the order from the basket as it is at the moment "Place order" is clicked. A shopper
with two tabs can change the basket in one after the other showed the preview, and would order
items and a total never shown. The preview carries a fingerprint of the basket it showed; placing
the order needs the same fingerprint, otherwise the shopper sees the preview again, updated.
"""
import hashlib

FIELD = "basket_fingerprint"


def basket_fingerprint(basket) -> str:
    """Lines (product, stock record, quantity, price) and total of the basket, as a short digest."""
    lines = sorted(
        (line.product_id, line.stockrecord_id, line.quantity, str(line.unit_price_incl_tax))
        for line in basket.all_lines()
    )
    offers = sorted(str(discount["name"]) for discount in basket.offer_discounts + basket.voucher_discounts)
    digest = hashlib.sha256(repr((lines, offers, str(basket.total_incl_tax))).encode())
    return digest.hexdigest()[:24]


def previewed_basket_is_current(posted: str | None, basket) -> bool:
    return bool(posted) and posted == basket_fingerprint(basket)
