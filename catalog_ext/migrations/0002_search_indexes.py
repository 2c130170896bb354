"""Indexes behind listing.ranking on PostgreSQL; nothing to do on SQLite.

- pg_trgm, and a GIN trigram index on catalogue_product.search_text: the per-word LIKE '%word%'
  filters and the word-similarity typo fallback use it instead of scanning every product.
- A GIN index on to_tsvector('simple', search_text), the exact expression Django's
  SearchVector("search_text", config="simple") emits, for the full-text rank.
"""
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "catalogue_product_search_trgm": "USING gin (search_text gin_trgm_ops)",
    "catalogue_product_search_fts": "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON catalogue_product {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog_ext", "0001_initial"),
        ("catalogue", "0033_product_ocop_facts"),
    ]

    operations = [
        TrigramExtension(),  # a no-op on databases other than PostgreSQL
        migrations.RunPython(create_indexes, drop_indexes),
    ]
