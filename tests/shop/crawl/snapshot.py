"""Checksums of the tables a crawl must never touch, over the rows a role may not change."""
from __future__ import annotations

import functools
import hashlib

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q

from . import ownership

# What a stray request could damage: money, stock, certificates, licences, producers, accounts and
# the counters' shifts and sales.
PROTECTED = ("order.Order", "order.Line", "order.PaymentEvent", "payment.Source", "payment.Transaction",
             "payment.OrderPayment", "partner.StockRecord", "partner.Partner", "catalog_ext.Certificate",
             "catalog_ext.GILicence", "catalog_ext.GeographicalIndication", "auth.User",
             "showrooms.Showroom", "showrooms.ShowroomStaff", "pos.Shift", "pos.CashMovement", "pos.PosSale",
             "pos.PosPayment", "pos.PosReturn", "pos.Transfer", "pos.StocktakeLine", "catalogue.Product",
             "pos.PickupPayment", "pickups.Pickup", "pickups.Receipt")
# The columns hashed: what a stray write would change. Long texts are left out (cost), and so are
# columns an ordinary visit changes (last_login, view counters, timestamps).
SKIPPED_FIELD_TYPES = ("TextField", "JSONField")
VOLATILE = {"last_login", "date_updated", "updated_at", "view_count", "views", "date_created", "created_at",
            "slug", "title_folded"}


def protected_models():
    return [apps.get_model(label) for label in PROTECTED]


def _columns(model):
    return [f.attname for f in model._meta.concrete_fields
            if f.attname not in VOLATILE and f.get_internal_type() not in SKIPPED_FIELD_TYPES]


def _rows_sql(model, exclude: Q | None):
    rows = model._default_manager.all()
    if exclude is not None:
        rows = rows.exclude(pk__in=model._default_manager.filter(exclude).values("pk"))
    return rows.order_by("pk").values_list(*_columns(model)).query.sql_with_params()


@functools.lru_cache(maxsize=64)
def _compiled(user_pk, allowed: frozenset):
    """The SELECT of each table's rows, compiled once per role: a snapshot is taken before and
    after every request, and building 22 ORM queries each time cost more than the requests."""
    user = get_user_model().objects.get(pk=user_pk) if user_pk else None
    return [(model._meta.label, model._meta.pk.column, *_rows_sql(model, ownership.mine(model, user)))
            for model in protected_models() if model._meta.label not in allowed]


def snapshot(user, allowed: frozenset = frozenset()) -> dict:
    """count, max(pk) and a hash of the key columns of each protected table, leaving out `user`'s
    own rows and whole tables in `allowed` (models the view is about, for the office)."""
    compiled = _compiled(getattr(user, "pk", None), allowed)
    if connection.vendor == "postgresql":
        return _summed_in_postgresql(compiled)
    sums = {}
    with connection.cursor() as cursor:
        for label, _pk, sql, params in compiled:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            digest = hashlib.blake2b(repr(rows).encode(), digest_size=12).hexdigest()
            sums[label] = (len(rows), rows[-1][0] if rows else None, digest)
    return sums


def _summed_in_postgresql(compiled) -> dict:
    """The same sums, every table in one query: 22 round trips before and after each of the
    crawl's thousands of requests took longer than the requests themselves on PostgreSQL."""
    parts, params = [], []
    for label, pk, sql, sql_params in compiled:
        parts.append(f"SELECT %s, COUNT(*), MAX(t.{connection.ops.quote_name(pk)})::text,"
                     f" md5(COALESCE(string_agg(t::text, '|' ORDER BY t.{connection.ops.quote_name(pk)}), ''))"
                     f" FROM ({sql}) AS t")
        params += [label, *sql_params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {label: (count, last, digest) for label, count, last, digest in cursor.fetchall()}


def counts_writes() -> bool:
    return connection.vendor == "postgresql"


def rows_written(allowed: frozenset = frozenset()) -> int:
    """PostgreSQL: how many rows this transaction has inserted, updated or deleted so far in the
    protected tables outside `allowed` (pg_stat_xact_user_tables: the counts only grow, writes in a
    savepoint rolled back included). One small query, where a snapshot hashes every row: a request
    that wrote none of them cannot have changed them, and the snapshots are needed only when it did."""
    tables = [model._meta.db_table for model in protected_models() if model._meta.label not in allowed]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
                       " WHERE relid = ANY(%s::regclass[])", [tables])
        return cursor.fetchone()[0]


def changed(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


def cascade(model) -> set[str]:
    """The model and every model a delete or update of it reaches (cascades, SET_NULL, m2m)."""
    seen, todo = set(), [model]
    while todo:
        current = todo.pop()
        if current._meta.label in seen:
            continue
        seen.add(current._meta.label)
        for rel in current._meta.related_objects:
            todo.append(rel.related_model)
        for m2m in current._meta.many_to_many:
            todo.append(m2m.remote_field.through)
    return seen
