"""A fixed query compiled to SQL once per database connection, run again with other values (issue 21).

Django compiles a queryset's SQL every time it runs it: for the stock lock of every order placed
(a join of the stock records with their producer, the producer's shelf and contact preferences, and
an EXISTS of an open stock alert) that compilation was about a third of the lock's CPU time. A
`Prepared` query is built from a queryset whose varying values are placeholders; the first run on a
connection compiles it (Django's compiler, so the SQL, the columns and the objects made from each row
are Django's own), and every later run puts the values in place of the placeholders in the params
and builds the model instances as Django's ModelIterable does (select_related objects and
annotations included).

For a queryset of a fixed shape only: the placeholders must reach the SQL as params of their own
(a filter `pk__in=[...]` makes one per element, so a list of another length is another shape: the
`shape` key tells them apart). A value given as text (an order's number) gets a text placeholder,
any other a number: each must reach the params unchanged (an exact filter, not `__iexact` or
`__startswith`, which rewrite it). The compiled query is kept on the connection object, which is per
thread (Django's compiler holds its connection), and made again for a new connection.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from django.db import connections
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError


class _Compiled:
    """One shape's SQL, params (placeholders among them) and what Django needs to make the objects."""

    def __init__(self, queryset, placeholders: Sequence, adapt: Callable):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()  # fills select, klass_info and annotation_col_map
        self.params, self.adapt = list(params), adapt
        self.slots = [self.params.index(adapt(placeholder, compiler.connection)) for placeholder in placeholders]
        self.for_update = bool(queryset.query.select_for_update) and compiler.connection.features.has_select_for_update
        self.compiler, self.db = compiler, queryset.db
        klass_info, select = compiler.klass_info, compiler.select
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.model_slice = slice(start, end)
        self.init_list = [column[0].target.attname for column in select[start:end]]
        self.related_populators = get_related_populators(klass_info, select, queryset.db)
        self.annotations = dict(compiler.annotation_col_map or {})
        self.converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])

    def run(self, values: Sequence) -> list:
        params = list(self.params)
        connection = self.compiler.connection
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = self.adapt(value, connection)
        if self.for_update and connection.get_autocommit():  # as Django's compiler refuses it
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        objects = []
        for row in rows:
            obj = self.model.from_db(self.db, self.init_list, row[self.model_slice])
            for populator in self.related_populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


def id_placeholder(n: int) -> int:
    """`Prepared(..., placeholder=id_placeholder)` for ids of a 32-bit id field: ids nobody has, inside
    the field's range (Django finds no row for an id outside it, and compiles no SQL for it)."""
    return -2_000_000_000 - n


class Prepared:
    """`Prepared(build, name=...)`; `.run(shape, values, using=...)` → the model instances of
    `build(shape, *placeholders)` with `values` in the placeholders' places. `build` returns the
    queryset; `shape` (hashable) is everything else its SQL depends on, the number of values
    included: each shape is compiled once per connection.

    The placeholders are text for a value given as text and ints for any other, unless
    `placeholder(n)` makes them (values of another type: a datetime field refuses an int);
    `adapt(value, connection)` is what the value becomes among the params (the field's
    get_db_prep_value: a datetime is text on SQLite), the same for the placeholders (to find them)
    and the values (to put in their place)."""

    # Values nobody passes to a query: they are found again, by equality, in the compiled params.
    _PLACEHOLDER_BASE = -7_300_000_000_000_000
    _TEXT_PLACEHOLDER = "\x00ocop-prepared-{}\x00"  # NUL: no text PostgreSQL stores holds one

    def __init__(self, build: Callable, *, name: str, placeholder: Callable | None = None,
                 adapt: Callable | None = None):
        self.build, self.attribute = build, f"_ocop_prepared_{name}"
        self.placeholder, self.adapt = placeholder, adapt or (lambda value, connection: value)

    @classmethod
    def _placeholder_like(cls, value, n: int):
        """The n-th placeholder when none was given: text for a value given as text, else a number."""
        return cls._TEXT_PLACEHOLDER.format(n) if isinstance(value, str) else cls._PLACEHOLDER_BASE - n

    def run(self, shape: Hashable, values: Sequence, *, using: str = "default") -> list:
        connection = connections[using]
        compiled_by_shape = connection.__dict__.setdefault(self.attribute, {})
        compiled = compiled_by_shape.get(shape)
        if compiled is None:
            placeholders = [self.placeholder(n) if self.placeholder else self._placeholder_like(value, n)
                             for n, value in enumerate(values)]
            compiled = _Compiled(self.build(shape, *placeholders).using(using), placeholders, self.adapt)
            if len(compiled_by_shape) > 64:  # shapes are few (lines in a basket); never grow for ever
                compiled_by_shape.clear()
            compiled_by_shape[shape] = compiled
        return compiled.run(values)
