"""deploy/backup.sh for real against PostgreSQL: it dumps the test database, keeps only the newest
BACKUP_KEEP dumps, leaves nothing behind when pg_dump fails, and what it wrote restores with
pg_restore into a fresh database with the same rows in every table."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "backup.sh"
RESTORED = f"ocop_load_restore_{os.getpid()}"


def url_of(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def connect(name: str):
    import psycopg

    return psycopg.connect(url_of(name), autocommit=True)


def row_counts(name: str) -> dict[str, int]:
    """Rows of every table of the public schema, read on a connection of its own (committed rows)."""
    with connect(name) as conn:
        tables = [t for (t,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                             "ORDER BY tablename")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def backup(tmp_path, database: str, keep: int = 2):
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": url_of(database), "BACKUP_DIR": str(tmp_path / "dumps"),
           "BACKUP_KEEP": str(keep)}
    return subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def tools():
    missing = [tool for tool in ("pg_dump", "pg_restore") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"needs the PostgreSQL client tools ({', '.join(missing)} not on PATH; apt-get install postgresql-client)")


@pytest.fixture
def restored_database():
    with connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{RESTORED}"')
    yield RESTORED
    with connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_dump_restores_into_a_fresh_database_with_the_same_rows_in_every_table(tools, tmp_path, restored_database):
    source = settings.DATABASES["default"]["NAME"]
    done = backup(tmp_path, source)
    assert done.returncode == 0, done.stderr
    dumps = sorted((tmp_path / "dumps").glob("ocop-*.dump"))
    assert len(dumps) == 1 and done.stdout.startswith(f"backup: wrote {dumps[0]}")

    restore = subprocess.run(["pg_restore", "--no-owner", f"--dbname={url_of(restored_database)}", str(dumps[0])],
                             capture_output=True, text=True, timeout=300)

    assert restore.returncode == 0, restore.stderr
    before, after = row_counts(source), row_counts(restored_database)
    assert before == after
    # The demo catalogue is there, not just empty tables.
    assert after["catalogue_product"] >= 40 and after["partner_stockrecord"] >= 40 and after["django_migrations"] > 50


@pytest.mark.postgres
@pytest.mark.django_db
def test_only_the_newest_dumps_are_kept(tools, tmp_path):
    source = settings.DATABASES["default"]["NAME"]
    for _ in range(3):
        assert backup(tmp_path, source, keep=2).returncode == 0
    done = backup(tmp_path, source, keep=2)

    kept = sorted(p.name for p in (tmp_path / "dumps").iterdir())
    assert len(kept) == 2 and all(name.startswith("ocop-") and name.endswith(".dump") for name in kept)
    assert "removed" in done.stdout and "(keeping 2)" in done.stdout


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_failed_dump_leaves_no_file_and_keeps_the_earlier_backups(tools, tmp_path):
    source = settings.DATABASES["default"]["NAME"]
    assert backup(tmp_path, source).returncode == 0
    good = sorted((tmp_path / "dumps").iterdir())

    failed = backup(tmp_path, "ocop_load_no_such_database")

    assert failed.returncode != 0
    assert sorted((tmp_path / "dumps").iterdir()) == good  # no partial file, nothing pruned


def test_a_retention_that_is_not_a_number_is_refused(tmp_path):
    env = {"PATH": os.environ["PATH"], "BACKUP_DIR": str(tmp_path), "BACKUP_KEEP": "many"}
    done = subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "BACKUP_KEEP must be a whole number" in done.stderr
    assert list(tmp_path.iterdir()) == []
