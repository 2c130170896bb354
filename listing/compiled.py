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

    def _sql(self):
        """(database, SQL, parameters) compiled once with the ids' mark; None off PostgreSQL."""
        if self._compiled is None:
            query = self.make(None)
            if connections[query.db].vendor != "postgresql":
                return None
            query = self.make(ids_in(self.table, self.column))
            self._compiled = (query.db, *query.query.get_compiler(query.db).as_sql())
        return self._compiled

    def rows(self, ids) -> list[dict]:
        return together([self], ids)[0]


def _fallback(query: Compiled, ids) -> list[dict]:
    return list(query.make(None).filter(**{query.field: ids}))


def together(queries, ids) -> list[list[dict]]:
    """Each query's rows for these ids. On PostgreSQL their statements go in one round trip (the
    driver binds the parameters client-side, Django's default, so several statements may be sent
    at once and their results read in turn): a page's card facts are three queries, and each
    round trip costs more than the query (issue 21). Elsewhere, or with server-side binding, one
    query after the other."""
    ids = list(ids)
    compiled = [query._sql() for query in queries]
    if any(c is None for c in compiled) or len({c[0] for c in compiled}) != 1:
        return [_fallback(query, ids) if c is None else _run_one(c, ids) for query, c in zip(queries, compiled, strict=True)]
    if len(compiled) == 1 or not _client_bound(compiled[0][0]):
        return [_run_one(c, ids) for c in compiled]
    sql = ";\n".join(c[1] for c in compiled)
    params = [ids if isinstance(p, _Ids) else p for c in compiled for p in c[2]]
    results = []
    with connections[compiled[0][0]].cursor() as cursor:
        cursor.execute(sql, params)
        for n in range(len(compiled)):
            if n:
                cursor.nextset()
            results.append(_dicts(cursor))
    return results


def _client_bound(db: str) -> bool:
    """Does this connection's cursor bind parameters client-side (psycopg 3's ClientCursor, which
    Django uses unless OPTIONS["server_side_binding"] is set)? Only then may one execute() hold
    several statements."""
    connection = connections[db]
    return not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding") and \
        getattr(connection.Database, "__name__", "") == "psycopg"


def _run_one(compiled, ids) -> list[dict]:
    db, sql, params = compiled
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [ids if isinstance(p, _Ids) else p for p in params])
        return _dicts(cursor)


def _dicts(cursor) -> list[dict]:
    names = [column.name for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
