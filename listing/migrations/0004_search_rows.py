"""PostgreSQL: a narrow search table, one row per browsable product, kept exact by triggers (issue 21).

A search's match query read, for each of up to 1,001 candidates, its wide product row again by id
(descriptions, meta fields: 1.5 kB a row, 156 MB at 100,000 products), its badge period by
(product, starts_on) and its web stock record: three index look-ups a candidate, 8,000–10,000
buffers a pass. `listing_searchrow` holds only what a search reads (listing.search_rows): the
search text and its vector, the date, the web price, GI, producer, group, the product's badge
facts with the stretch of days they hold for, and whether its web record can be sold now. A
candidate is one narrow row (about 330 bytes).

Kept exact in the transaction of its cause, whoever writes (forms, the importer's bulk_create,
queryset.update, the stock ledger's raw UPDATEs, cascades):

- a product inserted, updated or deleted (statement triggers with transition tables): its row is
  written again (only when it differs) or removed; a product that is not browsable (not public, or
  a child) has no row. The web price trigger's own UPDATE of the product passes here too;
- badge periods inserted, updated or deleted: their products' rows written again;
- stock records inserted or deleted, or their counts, partner or product updated; a product class's
  track_stock changed: `in_stock` of their products recomputed, written only when it flips (an
  order's allocation that leaves the product in stock writes nothing);
- catalogue_product truncated (a test database flushed): the table too.

The badge facts are those of the stretch of days holding the day the row was written (a badge
period, or the gap between two): `badge_from`..`badge_until` (±infinity when open). A search asks
`badge_from <= today <= badge_until` and, for a row whose stretch has passed (midnight crossed a
certificate's expiry since it was written), looks the period up as before: exact at midnight with
no task. `manage.py search_rows_audit` (listing.search_rows.audit) compares every row with the
ORM's own answers (with_badges, listing_price, sellable_here) and fails on a difference.
The functions are PL/pgSQL with the stock rule written into their statements, and the badge
stretch a STABLE set-returning SQL function PostgreSQL inlines: their plans are kept per session
(SQL functions were planned again at each stock update: 1.5–2 ms an order line), and generic
(`plan_cache_mode`: the planner kept planning `= ANY(ids)` afresh each call, 1.5 ms). A stock
record's update calls nothing unless its own "some left" flips or it changes partner or product
(the trigger's WHEN, tested without entering PL/pgSQL): an order that leaves stock writes no more
than before. No parallel workers for it (`parallel_workers = 0`): a search's scan is a few milliseconds, and
starting a worker for it on the web's two cores cost more CPU than it saved time.
The model layer does not declare the table (SQLite keeps the search over the product table).
"""
from django.conf import settings
from django.db import migrations

TABLE = """
CREATE TABLE IF NOT EXISTS listing_searchrow (
    product_id integer PRIMARY KEY,
    date_created timestamp with time zone NOT NULL,
    title_length integer NOT NULL,
    search_text text NOT NULL,
    search_vector tsvector,
    web_price numeric(12, 2),
    gi_id integer,
    producer_id integer,
    ocop_group varchar(16) NOT NULL,
    stars smallint,
    gi_ok boolean NOT NULL,
    badge_from date NOT NULL,
    badge_until date NOT NULL,
    in_stock boolean NOT NULL
) WITH (fillfactor = 90, parallel_workers = 0);
"""

# listing.filters.sellable_here for the product p (catalog_ext.web_stock's rule), written into the
# functions' statements (a SQL function holding it would be planned again at every call).
IN_STOCK = """EXISTS (
        SELECT 1 FROM partner_stockrecord sr
        WHERE sr.product_id = p.id
          AND (sr.partner_id = p.producer_id OR (p.producer_id IS NULL AND NOT EXISTS (
                   SELECT 1 FROM partner_stockrecord e WHERE e.product_id = p.id AND e.id < sr.id)))
          AND (COALESCE(sr.num_in_stock, 0) - COALESCE(sr.num_allocated, 0) > 0
               OR EXISTS (SELECT 1 FROM catalogue_productclass c WHERE c.id = p.product_class_id AND NOT c.track_stock)))"""

FUNCTIONS = """
CREATE OR REPLACE FUNCTION ocop_search_today() RETURNS date LANGUAGE sql STABLE AS $$
    SELECT (now() AT TIME ZONE '{time_zone}')::date
$$;

-- The badge facts of product $1 on day $2 and the stretch of days they hold for: the period
-- holding that day, else no badge between the periods around it. (A STABLE set-returning SQL
-- function: PostgreSQL inlines it into the query that calls it.)
CREATE OR REPLACE FUNCTION ocop_search_badge(pid integer, day date)
RETURNS TABLE (stars smallint, gi_ok boolean, badge_from date, badge_until date)
LANGUAGE sql STABLE AS $$
    SELECT * FROM (
        SELECT b.stars, b.gi_ok, b.starts_on, COALESCE(b.ends_on, 'infinity'::date)
        FROM catalog_ext_badgeperiod b
        WHERE b.product_id = pid AND b.starts_on <= day AND (b.ends_on IS NULL OR b.ends_on >= day)
        ORDER BY b.starts_on DESC LIMIT 1
    ) AS holding
    UNION ALL
    SELECT NULL::smallint, false,
        COALESCE((SELECT max(b.ends_on) + 1 FROM catalog_ext_badgeperiod b
                  WHERE b.product_id = pid AND b.ends_on < day), '-infinity'::date),
        COALESCE((SELECT min(b.starts_on) - 1 FROM catalog_ext_badgeperiod b
                  WHERE b.product_id = pid AND b.starts_on > day), 'infinity'::date)
    WHERE NOT EXISTS (SELECT 1 FROM catalog_ext_badgeperiod b
                      WHERE b.product_id = pid AND b.starts_on <= day AND (b.ends_on IS NULL OR b.ends_on >= day))
$$;

CREATE OR REPLACE FUNCTION ocop_search_rows(ids integer[]) RETURNS void LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    DELETE FROM listing_searchrow r WHERE r.product_id = ANY(ids) AND NOT EXISTS (
        SELECT 1 FROM catalogue_product p WHERE p.id = r.product_id AND p.is_public AND p.parent_id IS NULL);
    INSERT INTO listing_searchrow AS r (product_id, date_created, title_length, search_text, search_vector,
        web_price, gi_id, producer_id, ocop_group, stars, gi_ok, badge_from, badge_until, in_stock)
    SELECT p.id, p.date_created, length(p.title), p.search_text, p.search_vector, p.web_price, p.gi_id,
        p.producer_id, p.ocop_group, b.stars, b.gi_ok, b.badge_from, b.badge_until, {in_stock}
    FROM catalogue_product p CROSS JOIN LATERAL ocop_search_badge(p.id, ocop_search_today()) b
    WHERE p.id = ANY(ids) AND p.is_public AND p.parent_id IS NULL
    ON CONFLICT (product_id) DO UPDATE SET date_created = EXCLUDED.date_created,
        title_length = EXCLUDED.title_length, search_text = EXCLUDED.search_text,
        search_vector = EXCLUDED.search_vector, web_price = EXCLUDED.web_price, gi_id = EXCLUDED.gi_id,
        producer_id = EXCLUDED.producer_id, ocop_group = EXCLUDED.ocop_group, stars = EXCLUDED.stars,
        gi_ok = EXCLUDED.gi_ok, badge_from = EXCLUDED.badge_from, badge_until = EXCLUDED.badge_until,
        in_stock = EXCLUDED.in_stock
    WHERE (r.date_created, r.title_length, r.search_text, r.search_vector, r.web_price, r.gi_id, r.producer_id,
           r.ocop_group, r.stars, r.gi_ok, r.badge_from, r.badge_until, r.in_stock)
        IS DISTINCT FROM (EXCLUDED.date_created, EXCLUDED.title_length, EXCLUDED.search_text,
           EXCLUDED.search_vector, EXCLUDED.web_price, EXCLUDED.gi_id, EXCLUDED.producer_id, EXCLUDED.ocop_group,
           EXCLUDED.stars, EXCLUDED.gi_ok, EXCLUDED.badge_from, EXCLUDED.badge_until, EXCLUDED.in_stock);
END $$;

CREATE OR REPLACE FUNCTION ocop_search_stock(ids integer[]) RETURNS void LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    UPDATE listing_searchrow r SET in_stock = s.now
    FROM (SELECT p.id, {in_stock} AS now FROM catalogue_product p WHERE p.id = ANY(ids)) AS s
    WHERE r.product_id = s.id AND r.in_stock IS DISTINCT FROM s.now;
END $$;

CREATE OR REPLACE FUNCTION ocop_search_product_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM listing_searchrow WHERE product_id IN (SELECT id FROM changed);
    ELSE
        PERFORM ocop_search_rows(ARRAY(SELECT id FROM changed));
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_search_product_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE listing_searchrow;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_search_badges_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ocop_search_rows(ARRAY(SELECT DISTINCT product_id FROM changed));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_search_badges_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ocop_search_rows(ARRAY(SELECT product_id FROM old_rows UNION SELECT product_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_search_stock_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ocop_search_stock(ARRAY(SELECT DISTINCT product_id FROM changed));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_search_stock_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ocop_search_stock(ARRAY[OLD.product_id, NEW.product_id]);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_search_class_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ocop_search_stock(ARRAY(SELECT id FROM catalogue_product WHERE product_class_id = NEW.id));
    RETURN NULL;
END $$;
"""

TRIGGERS = """
DROP TRIGGER IF EXISTS ocop_search_insert ON catalogue_product;
CREATE TRIGGER ocop_search_insert AFTER INSERT ON catalogue_product
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_search_product_changed();
DROP TRIGGER IF EXISTS ocop_search_update ON catalogue_product;
CREATE TRIGGER ocop_search_update AFTER UPDATE ON catalogue_product
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_search_product_changed();
DROP TRIGGER IF EXISTS ocop_search_delete ON catalogue_product;
CREATE TRIGGER ocop_search_delete AFTER DELETE ON catalogue_product
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_search_product_changed();
DROP TRIGGER IF EXISTS ocop_search_truncate ON catalogue_product;
CREATE TRIGGER ocop_search_truncate AFTER TRUNCATE ON catalogue_product
    FOR EACH STATEMENT EXECUTE FUNCTION ocop_search_product_truncated();

DROP TRIGGER IF EXISTS ocop_search_insert ON catalog_ext_badgeperiod;
CREATE TRIGGER ocop_search_insert AFTER INSERT ON catalog_ext_badgeperiod
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_search_badges_changed();
DROP TRIGGER IF EXISTS ocop_search_update ON catalog_ext_badgeperiod;
CREATE TRIGGER ocop_search_update AFTER UPDATE ON catalog_ext_badgeperiod
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION ocop_search_badges_updated();
DROP TRIGGER IF EXISTS ocop_search_delete ON catalog_ext_badgeperiod;
CREATE TRIGGER ocop_search_delete AFTER DELETE ON catalog_ext_badgeperiod
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_search_badges_changed();

DROP TRIGGER IF EXISTS ocop_search_insert ON partner_stockrecord;
CREATE TRIGGER ocop_search_insert AFTER INSERT ON partner_stockrecord
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_search_stock_changed();
DROP TRIGGER IF EXISTS ocop_search_delete ON partner_stockrecord;
CREATE TRIGGER ocop_search_delete AFTER DELETE ON partner_stockrecord
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_search_stock_changed();
DROP TRIGGER IF EXISTS ocop_search_update ON partner_stockrecord;
CREATE TRIGGER ocop_search_update AFTER UPDATE OF num_in_stock, num_allocated, partner_id, product_id
    ON partner_stockrecord FOR EACH ROW
    WHEN ((COALESCE(OLD.num_in_stock, 0) - COALESCE(OLD.num_allocated, 0) > 0)
              IS DISTINCT FROM (COALESCE(NEW.num_in_stock, 0) - COALESCE(NEW.num_allocated, 0) > 0)
          OR OLD.partner_id IS DISTINCT FROM NEW.partner_id OR OLD.product_id IS DISTINCT FROM NEW.product_id)
    EXECUTE FUNCTION ocop_search_stock_row_changed();

DROP TRIGGER IF EXISTS ocop_search_update ON catalogue_productclass;
CREATE TRIGGER ocop_search_update AFTER UPDATE OF track_stock ON catalogue_productclass
    FOR EACH ROW EXECUTE FUNCTION ocop_search_class_changed();
"""

FILL = """
TRUNCATE listing_searchrow;
SELECT ocop_search_rows(ARRAY(SELECT id FROM catalogue_product));
CREATE INDEX IF NOT EXISTS listing_searchrow_vector ON listing_searchrow USING gin (search_vector);
CREATE INDEX IF NOT EXISTS listing_searchrow_newest ON listing_searchrow (date_created DESC, product_id DESC);
ANALYZE listing_searchrow;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ocop_search_insert ON catalogue_product;
DROP TRIGGER IF EXISTS ocop_search_update ON catalogue_product;
DROP TRIGGER IF EXISTS ocop_search_delete ON catalogue_product;
DROP TRIGGER IF EXISTS ocop_search_truncate ON catalogue_product;
DROP TRIGGER IF EXISTS ocop_search_insert ON catalog_ext_badgeperiod;
DROP TRIGGER IF EXISTS ocop_search_update ON catalog_ext_badgeperiod;
DROP TRIGGER IF EXISTS ocop_search_delete ON catalog_ext_badgeperiod;
DROP TRIGGER IF EXISTS ocop_search_insert ON partner_stockrecord;
DROP TRIGGER IF EXISTS ocop_search_delete ON partner_stockrecord;
DROP TRIGGER IF EXISTS ocop_search_update ON partner_stockrecord;
DROP TRIGGER IF EXISTS ocop_search_update ON catalogue_productclass;
DROP FUNCTION IF EXISTS ocop_search_product_changed();
DROP FUNCTION IF EXISTS ocop_search_product_truncated();
DROP FUNCTION IF EXISTS ocop_search_badges_changed();
DROP FUNCTION IF EXISTS ocop_search_badges_updated();
DROP FUNCTION IF EXISTS ocop_search_stock_changed();
DROP FUNCTION IF EXISTS ocop_search_stock_row_changed();
DROP FUNCTION IF EXISTS ocop_search_class_changed();
DROP FUNCTION IF EXISTS ocop_search_stock(integer[]);
DROP FUNCTION IF EXISTS ocop_search_rows(integer[]);
DROP FUNCTION IF EXISTS ocop_search_badge(integer, date);
DROP FUNCTION IF EXISTS ocop_search_today();
DROP TABLE IF EXISTS listing_searchrow;
"""


def _run(schema_editor, sql):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: one simple query, several statements


def forward(apps, schema_editor):
    # The time zone is settings' (a constant of the shop), written into the function as text.
    functions = FUNCTIONS.replace("{in_stock}", IN_STOCK).replace("{time_zone}", settings.TIME_ZONE.replace("'", "''"))
    _run(schema_editor, TABLE + functions + TRIGGERS + FILL)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("listing", "0003_web_price"),
        ("catalog_ext", "0008_certificate_attention_indexes"),
        ("partner", "0011_stock_ledger_opening"),
    ]

    operations = [migrations.RunPython(forward, backward)]
