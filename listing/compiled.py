"""Queries compiled to SQL once and run again with other ids (PostgreSQL).

Compiling an annotated query is the ORM's own work, the same for every page: the cards' facts
query (badges, options, producer, GI) cost about 0.6 ms of CPU to compile, each of the page's
three facts queries a few hundred microseconds more, for a query that runs in a fraction of that.
A query is compiled with a mark where its ids go (`ids_in()`); each run puts the page's ids there
as one array parameter (`= ANY(%s)`, PostgreSQL), so its text never changes with the number of
ids. Elsewhere (SQLite) the queryset is simply filtered and evaluated: its rows are converted by
the ORM there (dates are text in SQLite), not by the driver.
"""
from __future__ import annotations

from django.db import connections
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL


class _Ids:
    """Where the ids go among a compiled query's parameters."""


def ids_in(table: str, column: str = "id") -> RawSQL:
    """A condition "table.column is one of the ids", the ids given at each run."""
    return RawSQL(f'"{table}"."{column}" = ANY(%s)', (_Ids(),), output_field=BooleanField())


def where(queryset, condition):
    """The queryset filtered by a Compiled query's condition, or as it is when there is none."""
    return queryset if condition is None else queryset.filter(condition)


class Compiled:
    """`make(condition)`: a values() queryset, filtered by `condition` when one is given.
    rows(ids) gives its rows for these ids (dicts of the values' names, as the queryset gives
    them): on PostgreSQL from its SQL compiled once with ids_in(table, column) as the condition,
    elsewhere from make(None) filtered by `field`=ids."""

    def __init__(self, make, *, table: str, column: str = "id", field: str = "pk__in"):
        self.make, self.table, self.column, self.field = make, table, column, field
        self._compiled = None

    def rows(self, ids) -> list[dict]:
        ids = list(ids)
        if self._compiled is None:
            query = self.make(None)
            if connections[query.db].vendor != "postgresql":
                return list(query.filter(**{self.field: ids}))
            query = self.make(ids_in(self.table, self.column))
            self._compiled = (query.db, *query.query.get_compiler(query.db).as_sql())
        db, sql, params = self._compiled
        with connections[db].cursor() as cursor:
            cursor.execute(sql, [ids if isinstance(p, _Ids) else p for p in params])
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
