"""The stock movements of an order's life, by the names of the stock ledger (shop/partner/stock.py):
consume_lines, release_lines, receive_back, write_off. Lifecycle code calls only these."""
