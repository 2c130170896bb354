from tests.stock.guard import stock_ledger_balanced, stock_written_around_the_ledger  # noqa: F401
