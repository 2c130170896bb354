"""PostgreSQL: every lexeme the search table's vectors hold, a set kept by the search table's own
triggers (issue 21: a search no one made before).

A search's last word is a prefix (it may still be being typed: 'ca' & 'ph':*). GIN answers a
prefix by reading the posting list of every lexeme under it into one bitmap, 1.5–3.5 ms at
100,000 products even when another word of the search matches nothing; an exact word lets it skip
through the posting lists. `listing_searchlexeme` holds every lexeme a row's vector holds, so a
search asks for the lexemes starting with its last word (an index range, usually one lexeme) and
matches those exactly (listing.search_rows.EXPANDED): a vector holds a lexeme starting with 'ph'
if and only if it holds one of the set's lexemes starting with 'ph', so the matches are the same.

The set is a superset: it may also hold lexemes no vector holds any more. Such a lexeme, asked
exactly, matches nothing, so the matches stay the same; only a lexeme of a vector missing from
the set would change them. Kept in the transaction of its cause, by statement triggers on
listing_searchrow with transition tables (whoever writes the search table: ocop_search_rows, a
product deleted, a rebuild):
- rows inserted: their vectors' lexemes added;
- rows updated: the lexemes the changed vectors gained added (a stock flip, which writes only
  in_stock, adds nothing);
- rows deleted: nothing (the lexemes stay, stale and harmless);
- the table truncated: this one too.
Added with INSERT … ON CONFLICT DO NOTHING, in lexeme order: a lexeme already in the set takes no
row lock, so two writers of products with the same words never wait for each other (counts of rows
did: every writer locked the count rows of the common words until its commit). Two transactions
adding the same new lexeme still meet (the second waits for the first's commit, as for any unique
key). listing.search_rows.audit fails on a vector's lexeme missing from the set and counts the
stale ones; `manage.py search_rows_audit --fix` makes the set exact. The model layer does not
declare the table (SQLite has no vectors: its search reads the product table and never asks this
one).
"""
from django.db import migrations

TABLE = """
CREATE TABLE IF NOT EXISTS listing_searchlexeme (lexeme text COLLATE "C" PRIMARY KEY);
"""

FUNCTIONS = """
CREATE OR REPLACE FUNCTION ocop_search_lexemes_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO listing_searchlexeme (lexeme)
    SELECT DISTINCT v.lexeme FROM changed r CROSS JOIN LATERAL unnest(r.search_vector) AS v ORDER BY 1
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_search_lexemes_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only rows whose vector changed (a stock flip selects nothing and writes nothing).
    INSERT INTO listing_searchlexeme (lexeme)
    SELECT DISTINCT gained.lexeme FROM new_rows n LEFT JOIN old_rows o ON o.product_id = n.product_id
    CROSS JOIN LATERAL (SELECT v.lexeme FROM unnest(n.search_vector) AS v
                        EXCEPT SELECT v.lexeme FROM unnest(o.search_vector) AS v) AS gained
    WHERE o.search_vector IS DISTINCT FROM n.search_vector ORDER BY 1
    ON CONFLICT DO NOTHING;
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
DROP TRIGGER IF EXISTS ocop_search_lexemes_truncate ON listing_searchrow;
CREATE TRIGGER ocop_search_lexemes_truncate AFTER TRUNCATE ON listing_searchrow
    FOR EACH STATEMENT EXECUTE FUNCTION ocop_search_lexemes_truncated();
"""

FILL = """
TRUNCATE listing_searchlexeme;
INSERT INTO listing_searchlexeme (lexeme)
SELECT DISTINCT v.lexeme FROM listing_searchrow r CROSS JOIN LATERAL unnest(r.search_vector) AS v;
ANALYZE listing_searchlexeme;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ocop_search_lexemes_insert ON listing_searchrow;
DROP TRIGGER IF EXISTS ocop_search_lexemes_update ON listing_searchrow;
DROP TRIGGER IF EXISTS ocop_search_lexemes_truncate ON listing_searchrow;
DROP FUNCTION IF EXISTS ocop_search_lexemes_inserted();
DROP FUNCTION IF EXISTS ocop_search_lexemes_updated();
DROP FUNCTION IF EXISTS ocop_search_lexemes_truncated();
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
