"""A basket line's purchase info (stock and price) as the request's strategy gives it, asked once.

Oscar asks for it several times a page: `{% purchase_info_for_line request line %}` and the
checkout's `check_basket_is_valid` call `request.strategy.fetch_for_line(line)` afresh, while
`Line.purchase_info` (the line forms, the warnings, the prices and totals) keeps its own answer of
`basket.strategy.fetch_for_line(line, line.stockrecord)`. When the line's basket has the request's
strategy (the basket middleware gives it: every storefront page) that is the same call's answer,
since a strategy's fetch_for_line ignores the stock record handed to it (Oscar's Base, and
shop/partner/strategy.py's strategies): the line's own is used. Anything else asks the request's
strategy, as Oscar does (issue 21)."""
from oscar.core.loading import get_model


def purchase_info(request, line):
    """`request.strategy.fetch_for_line(line)`, answered by `line.purchase_info` when that is the same."""
    strategy = getattr(request, "strategy", None)
    if strategy is not None and getattr(line.basket, "_strategy", None) is strategy:
        return line.purchase_info
    return request.strategy.fetch_for_line(line)


# ---------------------------------------------------------------------------- the lines' badges
_BADGE_FACTS = ("id", "gi_id", "badge_stars", "badge_potential_five", "badge_number", "badge_gi_ok", "gi__slug",
                "gi__name")
_compiled_badges: dict = {}  # the day → its query, compiled once (listing/compiled.py)


def _badge_rows(ids, on) -> list[dict]:
    from catalog_ext.badges import with_badges
    from listing.compiled import Compiled, where

    compiled = _compiled_badges.get(on)
    if compiled is None:
        Product = get_model("catalogue", "Product")
        compiled = Compiled(lambda condition: where(with_badges(Product.objects.order_by(), on), condition)
                            .values(*_BADGE_FACTS), table=Product._meta.db_table)
        _compiled_badges.clear()  # only today's is asked again
        _compiled_badges[on] = compiled
    return compiled.rows(ids)


def with_line_badges(lines) -> list:
    """`{% ocop_with_badges lines %}` (catalog_ext.badges.attach_badges): the lines' products given
    today's badge facts in one query, the same values on the same products, and their GI (when
    its badge holds) as a GI object of the row's id, slug and name, its other fields read if ever
    asked (a model instance with deferred fields). That query's SQL is compiled once a day
    (listing/compiled.py): the ORM compiling the annotated query and making whole product rows of
    it was ~6,000 Python calls on the basket and checkout pages (issue 21). Lines the basket's compiled
    read made carry the facts already (shop/basket/models.py line_badge_annotations): none asked for them."""
    from catalog_ext import rules

    lines = list(lines or ())
    pending = [line.product for line in lines
               if getattr(line, "product", None) is not None and not hasattr(line.product, "badge_gi_ok")]
    if not pending:
        return lines
    GeographicalIndication = get_model("catalog_ext", "GeographicalIndication")
    # read with the lines (shop/basket/models.py line_badge_annotations): no query for those
    from shop.basket.models import BADGE_FACTS

    from_lines = {}
    for line in lines:
        if "ocop_badge_gi_ok" in line.__dict__ and getattr(line, "product", None) is not None:
            known = line.__dict__
            from_lines[id(line.product)] = {"id": line.product.pk, "gi_id": line.product.gi_id,
                                            **{column: known[name] for name, column in BADGE_FACTS.items()}}
    asked = {product.pk for product in pending if id(product) not in from_lines}
    by_pk = {row["id"]: row for row in _badge_rows(asked, rules.today())} if asked else {}
    for product in pending:
        row = from_lines.get(id(product)) or by_pk.get(product.pk)
        if row is None:
            continue
        product.badge_stars, product.badge_potential_five = row["badge_stars"], row["badge_potential_five"]
        product.badge_number, product.badge_gi_ok = row["badge_number"], row["badge_gi_ok"]
        if row["badge_gi_ok"] and row["gi_id"] == product.gi_id:
            known = {"id": row["gi_id"], "slug": row["gi__slug"], "name": row["gi__name"]}
            names = [field.attname for field in GeographicalIndication._meta.concrete_fields if field.attname in known]
            product.gi = GeographicalIndication.from_db(product._state.db, names, [known[name] for name in names])
    return lines
