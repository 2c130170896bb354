"""A basket line's purchase info (stock and price) as the request's strategy gives it, asked once.

Oscar asks for it several times a page: `{% purchase_info_for_line request line %}` and the
checkout's `check_basket_is_valid` call `request.strategy.fetch_for_line(line)` afresh, while
`Line.purchase_info` (the line forms, the warnings, the prices and totals) keeps its own answer of
`basket.strategy.fetch_for_line(line, line.stockrecord)`. When the line's basket has the request's
strategy (the basket middleware gives it: every storefront page) that is the same call's answer,
since a strategy's fetch_for_line ignores the stock record handed to it (Oscar's Base, and
shop/partner/strategy.py's strategies): the line's own is used. Anything else asks the request's
strategy, as Oscar does (issue 21)."""


def purchase_info(request, line):
    """`request.strategy.fetch_for_line(line)`, answered by `line.purchase_info` when that is the same."""
    strategy = getattr(request, "strategy", None)
    if strategy is not None and getattr(line.basket, "_strategy", None) is strategy:
        return line.purchase_info
    return request.strategy.fetch_for_line(line)
