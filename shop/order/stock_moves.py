"""The stock movements of an order's life are the stock ledger's (shop/partner/stock.py): each one a
StockMovement row in the lifecycle move's transaction. Lifecycle code calls these names only, so
tests and readers find every stock effect of a delivery, refusal or return in one list."""
from shop.partner.stock import StockError, consume_lines, receive_back, release_lines, write_off

__all__ = ["StockError", "consume_lines", "receive_back", "release_lines", "write_off"]
