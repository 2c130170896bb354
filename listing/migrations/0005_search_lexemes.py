"""PostgreSQL: every lexeme of the search table's vectors, with how many rows hold it, kept exact by
the search table's own triggers (issue 21: a search no one made before).

A search's last word is a prefix (it may still be being typed: 'ca' & 'ph':*). GIN answers a
prefix by reading the posting list of every lexeme under it into one bitmap, 1.5–3.5 ms at
100,000 products even when another word of the search matches nothing; an exact word lets it skip
through the posting lists. `listing_searchlexeme` knows every lexeme a row's vector holds, so a
search asks for the lexemes starting with its last word (an index range, usually one lexeme) and
matches those exactly (listing.search_rows.MATCH): a vector holds a lexeme starting with 'ph' if
and only if it holds one of the table's lexemes starting with 'ph', so the matches are the same.

Kept in the transaction of its cause, by statement triggers on listing_searchrow with transition
tables (whoever writes the search table: ocop_search_rows, a product deleted, a rebuild):
- rows inserted: +1 for each lexeme of their vectors;
- rows updated: for each row whose vector changed, −1 for the lexemes it lost and +1 for those it
  gained (a stock flip, which writes only in_stock, changes nothing here);
- rows deleted: −1 for each lexeme of their vectors; a lexeme no row holds any more is removed;
- the table truncated: this one too.
The counts change by one upsert of the sums per statement, in lexeme order (two writers lock the
same lexemes in the same order). listing.search_rows.audit compares the table with the vectors.
The model layer does not declare the table (SQLite has no vectors: its search reads the product
table and never asks this one).
"""
from django.db import migrations

TABLE = """
CREATE TABLE IF NOT EXISTS listing_searchlexeme (
    lexeme text COLLATE "C" PRIMARY KEY,
    products integer NOT NULL
);
"""

FUNCTIONS = """
-- Add each change (+1 or -1) to its lexeme's count, and remove the lexemes no row holds any more.
CREATE OR REPLACE FUNCTION ocop_search_lexemes_add(lexemes text[], changes integer[]) RETURNS void
LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    INSERT INTO listing_searchlexeme AS l (lexeme, products)
    SELECT d.lexeme, sum(d.change) FROM unnest(lexemes, changes) AS d(lexeme, change)
    GROUP BY d.lexeme HAVING sum(d.change) <> 0 ORDER BY d.lexeme COLLATE "C"
    ON CONFLICT (lexeme) DO UPDATE SET products = l.products + EXCLUDED.products;
    IF -1 = ANY(changes) THEN
        DELETE FROM listing_searchlexeme l WHERE l.lexeme = ANY(lexemes) AND l.products <= 0;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION ocop_search_lexemes_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lexemes text[];
    changes integer[];
BEGIN
    SELECT array_agg(v.lexeme), array_agg(1) INTO lexemes, changes
    FROM changed r CROSS JOIN LATERAL unnest(r.search_vector) AS v;
    IF lexemes IS NOT NULL THEN
        PERFORM ocop_search_lexemes_add(lexemes, changes);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_search_lexemes_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lexemes text[];
    changes integer[];
BEGIN
    SELECT array_agg(v.lexeme), array_agg(-1) INTO lexemes, changes
    FROM changed r CROSS JOIN LATERAL unnest(r.search_vector) AS v;
    IF lexemes IS NOT NULL THEN
        PERFORM ocop_search_lexemes_add(lexemes, changes);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_search_lexemes_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lexemes text[];
    changes integer[];
BEGIN
    WITH moved AS (
        SELECT o.search_vector AS before, n.search_vector AS after
        FROM old_rows o JOIN new_rows n ON n.product_id = o.product_id
        WHERE o.search_vector IS DISTINCT FROM n.search_vector
    ), d AS (
        SELECT lost.lexeme, -1 AS change FROM moved m CROSS JOIN LATERAL (
            SELECT v.lexeme FROM unnest(m.before) AS v EXCEPT SELECT v.lexeme FROM unnest(m.after) AS v) AS lost
        UNION ALL
        SELECT gained.lexeme, 1 FROM moved m CROSS JOIN LATERAL (
            SELECT v.lexeme FROM unnest(m.after) AS v EXCEPT SELECT v.lexeme FROM unnest(m.before) AS v) AS gained
    )
    SELECT array_agg(d.lexeme), array_agg(d.change) INTO lexemes, changes FROM d;
    IF lexemes IS NOT NULL THEN
        PERFORM ocop_search_lexemes_add(lexemes, changes);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_search_lexemes_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE listing_searchlexeme;
    RETURN NULL;
END $$;
"""

TRIGGERS = """
DROP TRIGGER IF EXISTS ocop_search_lexemes_insert ON listing_searchrow;
CREATE TRIGGER ocop_search_lexemes_insert AFTER INSERT ON listing_searchrow
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_search_lexemes_inserted();
DROP TRIGGER IF EXISTS ocop_search_lexemes_update ON listing_searchrow;
CREATE TRIGGER ocop_search_lexemes_update AFTER UPDATE ON listing_searchrow
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION ocop_search_lexemes_updated();
DROP TRIGGER IF EXISTS ocop_search_lexemes_delete ON listing_searchrow;
CREATE TRIGGER ocop_search_lexemes_delete AFTER DELETE ON listing_searchrow
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_search_lexemes_deleted();
DROP TRIGGER IF EXISTS ocop_search_lexemes_truncate ON listing_searchrow;
CREATE TRIGGER ocop_search_lexemes_truncate AFTER TRUNCATE ON listing_searchrow
    FOR EACH STATEMENT EXECUTE FUNCTION ocop_search_lexemes_truncated();
"""

FILL = """
TRUNCATE listing_searchlexeme;
INSERT INTO listing_searchlexeme (lexeme, products)
SELECT v.lexeme, count(*) FROM listing_searchrow r CROSS JOIN LATERAL unnest(r.search_vector) AS v GROUP BY v.lexeme;
ANALYZE listing_searchlexeme;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ocop_search_lexemes_insert ON listing_searchrow;
DROP TRIGGER IF EXISTS ocop_search_lexemes_update ON listing_searchrow;
DROP TRIGGER IF EXISTS ocop_search_lexemes_delete ON listing_searchrow;
DROP TRIGGER IF EXISTS ocop_search_lexemes_truncate ON listing_searchrow;
DROP FUNCTION IF EXISTS ocop_search_lexemes_inserted();
DROP FUNCTION IF EXISTS ocop_search_lexemes_deleted();
DROP FUNCTION IF EXISTS ocop_search_lexemes_updated();
DROP FUNCTION IF EXISTS ocop_search_lexemes_truncated();
DROP FUNCTION IF EXISTS ocop_search_lexemes_add(text[], integer[]);
DROP TABLE IF EXISTS listing_searchlexeme;
"""


def _run(schema_editor, sql):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: one simple query, several statements


def forward(apps, schema_editor):
    _run(schema_editor, TABLE + FUNCTIONS + TRIGGERS + FILL)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("listing", "0004_search_rows")]

    operations = [migrations.RunPython(forward, backward)]
