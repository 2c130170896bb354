"""The price a listing shows, filters and sorts by: the price of the stock record the web sells
from (catalog_ext.web_stock).

On PostgreSQL it is the column catalogue_product.web_price, kept in step by triggers on every
write to stock records and to a product's producer (migration listing 0003), and indexed: sorting
the catalogue by price walks an index instead of running a subquery for each of 100,000 products,
and a search's price range tests a column of the rows it already reads. Elsewhere (SQLite, a few
thousand products at most) it is the subquery per product it always was.
"""
from __future__ import annotations

from django.db import connection
from django.db.models import DecimalField, Expression, OuterRef, Subquery
from django.db.models.expressions import Col

from catalog_ext.web_stock import web_records

COLUMN = "web_price"


class StoredWebPrice(Expression):
    """catalogue_product.web_price of the query's product table. The model does not declare it
    (see listing.ranking.StoredSearchVector for the same pattern): as a Col it is relabelled like
    any column when the query becomes a subquery."""

    def __init__(self):
        super().__init__(output_field=DecimalField(max_digits=12, decimal_places=2))

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        column = DecimalField(max_digits=12, decimal_places=2)
        column.set_attributes_from_name(COLUMN)
        column.model = query.model
        return Col(query.get_initial_alias(), column, output_field=column)


def listing_price():
    """An expression for the outer product's web price."""
    if connection.vendor == "postgresql":
        return StoredWebPrice()
    web_record = web_records().filter(product=OuterRef("pk")).order_by("pk")
    return Subquery(web_record.values("price")[:1])
