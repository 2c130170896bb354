"""PostgreSQL: the full-text vector of search_text stored in its own column, with its GIN index.

The expression index of 0002 made every search recompute to_tsvector() for each row it checked:
a bitmap scan re-checks the rows it fetches, and a LIMIT made the planner prefer a sequential scan
computing to_tsvector() for every product (22 ms at 100,000 products for 12,000 matches). A
GENERATED ... STORED column is computed by PostgreSQL itself on every INSERT and UPDATE of
search_text, so Product.save(), bulk_create, bulk_update, raw UPDATEs and this migration's
backfill all keep it in step; no Python code writes it. The model does not declare it (SQLite has
no tsvector and keeps its folded column alone); listing.ranking reads it through
StoredSearchVector.
"""
from django.db import migrations

COLUMN = "search_vector"
EXPRESSION = "to_tsvector('simple'::regconfig, COALESCE(search_text, ''))"


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE catalogue_product ADD COLUMN IF NOT EXISTS {COLUMN} tsvector"
        f" GENERATED ALWAYS AS ({EXPRESSION}) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS catalogue_product_search_vector ON catalogue_product USING gin ({COLUMN})"
    )
    # The expression index is no longer read; keeping it would only slow every write.
    schema_editor.execute("DROP INDEX IF EXISTS catalogue_product_search_fts")


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS catalogue_product_search_fts ON catalogue_product USING gin ({EXPRESSION})"
    )
    schema_editor.execute("DROP INDEX IF EXISTS catalogue_product_search_vector")
    schema_editor.execute(f"ALTER TABLE catalogue_product DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog_ext", "0004_search_words"),
        ("catalogue", "0033_product_ocop_facts"),
    ]

    operations = [migrations.RunPython(add_column, drop_column)]
