"""Model querysets compiled to SQL once and run again for another producer (PostgreSQL).

Building and compiling a queryset is the ORM's own work, the same at every request: on the
producer's home it was about half of the page's queries' CPU (the certificates' subqueries, the
low-stock arithmetic, the orders' semi-join), for queries that run in a fraction of that. Like
`listing.compiled`, but giving model instances (with their select_related rows and annotations)
built by Django's own ModelIterable from the compiled query's own compiler, not dicts.

A frozen queryset is `make(**values)`: model instances, or a flat values_list's values. Some values are *marks* (ids, which change at each request):
the query is compiled with a stand-in id where each goes, and each run puts the request's ids in
their places among the parameters. The other values (a day, a month's start) are *fixed*: a query
is compiled once for each set of them (the latest few kept), so a query whose text or parameters
depend on the day is compiled again the next day, never run with yesterday's.

To be sure every parameter that depends on a mark is replaced, the query is compiled twice, with
two different stand-ins: both texts must be the same, and every parameter that differs must be
the stand-in itself (a value computed from an id, say id + 1, would differ without being one, and
the query is refused). Elsewhere than PostgreSQL the queryset is simply evaluated.
"""
from __future__ import annotations

import copy
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import FlatValuesListIterable, ModelIterable
from django.db.transaction import TransactionManagementError

# Two sets of stand-ins no row id can be.
_STAND_INS = (-1_000_000_007, -2_000_000_011)
KEPT_SHAPES = 8


class NotFreezable(Exception):
    """The query cannot be compiled once: a parameter depends on a mark without being it."""


class _Shape:
    """One compiled query: its compiler (select, klass_info, annotations filled by as_sql), its SQL,
    its parameters, and at which parameter each mark goes."""

    def __init__(self, db, compiler, sql, params, places, iterable):
        self.db, self.compiler, self.sql, self.params, self.places = db, compiler, sql, params, places
        self.iterable = iterable

    def instances(self, marks: dict) -> list:
        params = list(self.params)
        for index, name in self.places:
            params[index] = marks[name]
        compiler = copy.copy(self.compiler)
        compiler.connection = connection = connections[self.db]  # this thread's, not the compiling one's
        if compiler.query.select_for_update and connection.get_autocommit():  # as SQLCompiler.as_sql refuses it
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        sql = self.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return list(self.iterable(_Compiled(self.db, compiler)))


class _Compiled:
    """What ModelIterable asks of a queryset, answered with an already compiled query."""

    _known_related_objects: dict = {}

    def __init__(self, db, compiler):
        self.db, self._compiler = db, compiler
        self.query = self

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler


class Frozen:
    """`Frozen(make, marks=("partner",))(partner=27, on=today)`: the instances of make(**values)."""

    def __init__(self, make, *, marks: tuple[str, ...]):
        self.make, self.marks = make, tuple(marks)
        self._shapes: OrderedDict = OrderedDict()

    def __call__(self, **values) -> list:
        marks = {name: values.pop(name) for name in self.marks}
        if any(type(value) is not int for value in marks.values()):
            raise TypeError(f"marks must be ids (int): {marks!r}")
        key = tuple(sorted(values.items()))
        shape = self._shapes.get(key)
        if shape is None:
            queryset = self.make(**values, **marks)
            if connections[queryset.db].vendor != "postgresql":
                return list(queryset)
            shape = self._compile(values)
            self._shapes[key] = shape
            while len(self._shapes) > KEPT_SHAPES:
                self._shapes.popitem(last=False)
        return shape.instances(marks)

    def _compile(self, fixed: dict) -> _Shape:
        compiled = []
        for stand_in in _STAND_INS:
            stand_ins = {name: stand_in - i for i, name in enumerate(self.marks)}
            queryset = self.make(**fixed, **stand_ins)
            if (queryset._iterable_class not in (ModelIterable, FlatValuesListIterable)
                    or queryset._prefetch_related_lookups or queryset._known_related_objects):
                raise NotFreezable("only plain model querysets (or flat values lists) are frozen")
            compiler = queryset.query.get_compiler(queryset.db)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:  # (a stand-in outside the field's range: the mark is no id)
                raise NotFreezable("the query is empty for a stand-in id") from None
            compiled.append((queryset.db, compiler, sql, tuple(params), stand_ins, queryset._iterable_class))
        (db, compiler, sql, params, first, iterable), (_, _, sql_b, params_b, second, _) = compiled
        if sql != sql_b or len(params) != len(params_b):
            raise NotFreezable("the SQL's text depends on a mark")
        by_stand_in = {value: name for name, value in first.items()}
        places = []
        for index, (a, b) in enumerate(zip(params, params_b, strict=True)):
            if type(a) is type(b) and a == b:
                continue
            # A mark is an id: a plain int parameter. An IntegerField's value is bound as psycopg's
            # Int4 (or Int2, Int8): a plain int put there could bind as another type, so it is refused.
            name = by_stand_in.get(a) if type(a) is int else None
            if name is None or type(b) is not int or second[name] != b:
                raise NotFreezable(f"parameter {index} depends on a mark without being it: {a!r} / {b!r}")
            places.append((index, name))
        return _Shape(db, compiler, sql, params, tuple(places), iterable)
