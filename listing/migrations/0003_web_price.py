"""PostgreSQL: each product's web price kept on its own row, indexed, by triggers (issue 21).

The listing's price (the price of the stock record the web sells from, catalog_ext.web_stock) was
a subquery per product: sorting the catalogue by price ran it for every product (325 ms at
100,000), and a search's price range for every match. It is now the column
catalogue_product.web_price, which PostgreSQL keeps in step itself:

- a stock record inserted or deleted (bulk_create and cascades included: statement triggers), or
  its price, partner or product updated (row trigger): its product's price is recomputed, and
  written only when it differs. The stock ledger's count updates (num_in_stock, num_allocated)
  name none of those columns, so orders never fire it;
- a product inserted, or its producer changed: its price is recomputed before the row is written.

The rule in SQL is web_records' own: the producer's record (lowest id), for a product without a
producer its first record; tests/listing/test_web_price.py holds the column to the ORM's answer
after each kind of write. The function is VOLATILE so that each run reads what other
transactions committed before it (a concurrent price change of the same product is not missed).
The model does not declare the column (SQLite keeps the subquery); listing.web_price reads it.
Two partial indexes (the browsable products) serve "price, low to high" and "high to low".
"""
from django.db import migrations

FORWARD = """
ALTER TABLE catalogue_product ADD COLUMN IF NOT EXISTS web_price numeric(12, 2);

CREATE OR REPLACE FUNCTION ocop_web_price(product_id integer, producer_id integer) RETURNS numeric
LANGUAGE sql VOLATILE AS $$
    SELECT sr.price FROM partner_stockrecord sr
    WHERE sr.product_id = $1 AND (sr.partner_id = $2 OR $2 IS NULL)
    ORDER BY sr.id LIMIT 1
$$;

CREATE OR REPLACE FUNCTION ocop_refresh_web_prices(ids integer[]) RETURNS void
LANGUAGE sql VOLATILE AS $$
    UPDATE catalogue_product p SET web_price = ocop_web_price(p.id, p.producer_id)
    WHERE p.id = ANY($1) AND p.web_price IS DISTINCT FROM ocop_web_price(p.id, p.producer_id)
$$;

CREATE OR REPLACE FUNCTION ocop_product_web_price() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.web_price := ocop_web_price(NEW.id, NEW.producer_id);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION ocop_stockrecord_row_web_price() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ocop_refresh_web_prices(ARRAY[OLD.product_id, NEW.product_id]);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_stockrecord_set_web_price() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ocop_refresh_web_prices(ARRAY(SELECT DISTINCT product_id FROM changed));
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS ocop_web_price ON catalogue_product;
CREATE TRIGGER ocop_web_price BEFORE INSERT OR UPDATE OF producer_id ON catalogue_product
    FOR EACH ROW EXECUTE FUNCTION ocop_product_web_price();
DROP TRIGGER IF EXISTS ocop_web_price_update ON partner_stockrecord;
CREATE TRIGGER ocop_web_price_update AFTER UPDATE OF price, partner_id, product_id ON partner_stockrecord
    FOR EACH ROW EXECUTE FUNCTION ocop_stockrecord_row_web_price();
DROP TRIGGER IF EXISTS ocop_web_price_insert ON partner_stockrecord;
CREATE TRIGGER ocop_web_price_insert AFTER INSERT ON partner_stockrecord
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_stockrecord_set_web_price();
DROP TRIGGER IF EXISTS ocop_web_price_delete ON partner_stockrecord;
CREATE TRIGGER ocop_web_price_delete AFTER DELETE ON partner_stockrecord
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_stockrecord_set_web_price();

UPDATE catalogue_product p SET web_price = ocop_web_price(p.id, p.producer_id);

CREATE INDEX IF NOT EXISTS catalogue_product_web_price_asc ON catalogue_product
    (web_price ASC NULLS LAST, id DESC) WHERE is_public AND parent_id IS NULL;
CREATE INDEX IF NOT EXISTS catalogue_product_web_price_desc ON catalogue_product
    (web_price DESC NULLS LAST, id DESC) WHERE is_public AND parent_id IS NULL;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ocop_web_price ON catalogue_product;
DROP TRIGGER IF EXISTS ocop_web_price_update ON partner_stockrecord;
DROP TRIGGER IF EXISTS ocop_web_price_insert ON partner_stockrecord;
DROP TRIGGER IF EXISTS ocop_web_price_delete ON partner_stockrecord;
DROP FUNCTION IF EXISTS ocop_product_web_price();
DROP FUNCTION IF EXISTS ocop_stockrecord_row_web_price();
DROP FUNCTION IF EXISTS ocop_stockrecord_set_web_price();
DROP FUNCTION IF EXISTS ocop_refresh_web_prices(integer[]);
DROP FUNCTION IF EXISTS ocop_web_price(integer, integer);
DROP INDEX IF EXISTS catalogue_product_web_price_asc;
DROP INDEX IF EXISTS catalogue_product_web_price_desc;
ALTER TABLE catalogue_product DROP COLUMN IF EXISTS web_price;
"""


def _run(schema_editor, sql):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: one simple query, several statements


def forward(apps, schema_editor):
    _run(schema_editor, FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("listing", "0002_seed_synonyms"),
        ("catalogue", "0034_product_season_months"),
        ("partner", "0011_stock_ledger_opening"),
    ]

    operations = [migrations.RunPython(forward, backward)]
