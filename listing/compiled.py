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

from dataclasses import dataclass

import psycopg
from django.db import connections
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from psycopg.postgres import types
from psycopg.pq import Format, TransactionStatus


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
    """Each query's rows for these ids. On PostgreSQL (psycopg 3, Django's client-side binding)
    their statements go in one round trip, prepared on the server (_prepared_cursor: planned once
    per connection, not at every page), and are logged as one query, their joined text: a page's
    card facts are three queries, and each round trip, and each plan, cost more than running the
    query (issue 21). Elsewhere, or with server-side binding, one query after the other."""
    ids = list(ids)
    compiled = [query._sql() for query in queries]
    if any(c is None for c in compiled) or len({c[0] for c in compiled}) != 1:
        return [_fallback(query, ids) if c is None else _run_one(c, ids) for query, c in zip(queries, compiled, strict=True)]
    if len(compiled) == 1 or not _client_bound(compiled[0][0]):
        return [_run_one(c, ids) for c in compiled]
    sql = ";\n".join(c[1] for c in compiled)
    params = [ids if isinstance(p, _Ids) else p for c in compiled for p in c[2]]
    results = []
    with _prepared_cursor(compiled[0][0], [(c[1], c[2]) for c in compiled], ids) as cursor:
        cursor.execute(sql, params)
        for n in range(len(compiled)):
            if n:
                cursor.nextset()
            results.append(_dicts(cursor))
    return results


def prepared_cursor(db: str, sql: str, params: dict):
    """A cursor of Django's whose execute(sql, params) runs this one statement prepared on the
    server (as _prepared_cursor: one plan per connection, logged and counted as any query), where
    the driver is psycopg 3; Django's own cursor elsewhere. For a statement whose text is made once
    per shape with every value a named parameter (listing.search_rows): planning it took as long as
    running it for most searches. The connection asks for generic plans (settings: plan_cache_mode),
    so the statement must be one whose plan does not depend on its values: numbers such as LIMITs
    written into its text, no parameter a planner needs to see (a LIKE pattern's index range)."""
    if getattr(connections[db].Database, "__name__", "") != "psycopg":
        return connections[db].cursor()
    return _prepared_cursor(db, [(sql, params)])


def _prepared_cursor(db: str, statements, ids=None):
    """A cursor of Django's (logged, counted and wrapped as any) whose one execute() runs these
    statements as server-side prepared statements, sent in one round trip (libpq's pipeline): the
    server plans each once per connection instead of at every page (planning the products'
    statement, six tables, took longer than running it), one generic plan (settings:
    plan_cache_mode; an index look-up of the ids, as each custom plan was).
    Its results are read in turn with nextset(), as those of the statements sent as one text. The
    ids go as one array literal of untyped text, which PostgreSQL reads as the column's array
    (`= ANY($n)`): one text made once for the three statements, and one prepared statement whatever
    the ids' values (psycopg would dump a list of small ints as int2[], of larger ones as int4[]:
    a second statement and plan, and each element dumped in Python three times). `ids`: None when
    no statement has a compiled query's ids (prepared_cursor's named parameters)."""
    connection = connections[db]
    connection.ensure_connection()
    connection.validate_thread_sharing()
    if ids is not None:
        ids = "{" + ",".join(map(str, map(int, ids))) + "}"
    pipelined = _Pipelined(connection, statements, ids)
    # What Django's own cursor() does with a new DB-API cursor, through its public methods: the
    # debug wrapper logs and counts it (django_assert_num_queries, the debug toolbar) when queries
    # are logged, the plain one otherwise.
    if connection.queries_logged:
        return connection.make_debug_cursor(pipelined)
    return connection.make_cursor(pipelined)


TIMESTAMPTZ_OID = types["timestamptz"].oid

# psycopg prepares nothing when prepare_threshold is None (Django's default, for poolers): set,
# but never reached, it prepares only what is asked with prepare=True (Django's client-side
# cursors never prepare, whatever it is).
_ASKED_ONLY = 2**62


class _Pipelined:
    """The DB-API cursor under Django's wrapper for _prepared_cursor: execute() ignores the joined
    text (kept for the log; with one statement, its own text) and runs each statement with its own
    parameters on a server-binding cursor, prepared; description, fetchall() and nextset() read the
    results in turn."""

    def __init__(self, connection, statements, ids):
        self.connection, self.statements, self.ids = connection, statements, ids
        self.cursors, self.at = [], 0
        self._logged = None

    def execute(self, sql, params=None):
        raw = self.connection.connection
        if raw.prepare_threshold is None:
            raw.prepare_threshold = _ASKED_ONLY
        self._logged = (sql, params)
        try:
            self._run(raw)
        except psycopg.errors.FeatureNotSupported:
            # "cached plan must not change result type": a migration run from another connection
            # changed the type of a column these statements read, and PostgreSQL refuses the plans
            # this connection prepared. Outside a transaction they are dropped and asked again at
            # once. Inside one the error has aborted it: its rollback makes psycopg drop them
            # (psycopg._preparing: ROLLBACK), so only that page fails, and no worker needs a restart.
            if raw.info.transaction_status != TransactionStatus.IDLE:
                raise
            raw.execute("DEALLOCATE ALL")  # psycopg forgets their names with it, and prepares them again
            self._run(raw)

    def _run(self, raw):
        self.cursors = [self._cursor(raw) for _ in self.statements]
        if len(self.statements) == 1:  # nothing to send together
            self._execute(self.cursors[0], *self.statements[0])
            return
        with raw.pipeline():
            for cursor, (text, parameters) in zip(self.cursors, self.statements, strict=True):
                self._execute(cursor, text, parameters)

    def _execute(self, cursor, text, parameters):
        if not isinstance(parameters, dict):  # a compiled query's: the ids where they go
            parameters = [self.ids if isinstance(p, _Ids) else p for p in parameters]
        cursor.execute(text, parameters, prepare=True)

    def _cursor(self, raw):
        """A server-binding cursor with the timezone Django's own would have (its create_cursor)."""
        cursor = psycopg.Cursor(raw)
        timezone = self.connection.timezone
        if raw.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT).timezone != timezone:
            register_tzloader(timezone, cursor)
        return cursor

    @property
    def _query(self):
        """What Django logs of the execute() (DEBUG, tests' query capture): the joined text with
        its parameters, as the client-side cursor would have sent it."""
        sql, params = self._logged
        return _Mogrified(psycopg.ClientCursor(self.connection.connection).mogrify(sql, params).encode())

    @property
    def description(self):
        return self.cursors[self.at].description

    @property
    def rowcount(self):
        return self.cursors[self.at].rowcount if self.cursors else -1

    def fetchone(self):
        return self.cursors[self.at].fetchone()

    def fetchmany(self, size=0):
        return self.cursors[self.at].fetchmany(size)

    def fetchall(self):
        return self.cursors[self.at].fetchall()

    def nextset(self):
        self.at += 1
        return True if self.at < len(self.cursors) else None

    def close(self):
        for cursor in self.cursors:
            cursor.close()


@dataclass(frozen=True)
class _Mogrified:
    query: bytes


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
