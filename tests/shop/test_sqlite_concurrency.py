"""SQLite (the embedded default) under concurrent requests: with one transaction per request, two
requests that read and then write must both succeed, one after the other, never "database is locked".

Found by `make bench`: Oscar's analytics bumps a counter on every product view inside the request's
transaction; with SQLite's default deferred transactions two such requests deadlock on the upgrade
from read to write lock and one fails at once (the busy timeout does not apply to that case).
"""
import threading
import time

from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper


def test_concurrent_read_then_write_transactions_both_succeed(tmp_path, django_db_blocker):
    django_db_blocker.unblock()  # our own connections to a scratch file, not the test database
    # The options the project gives every SQLite database (the suite itself may run on PostgreSQL).
    config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "concurrency.sqlite3"),
              "OPTIONS": dict(settings.SQLITE_OPTIONS), "TIME_ZONE": None, "CONN_MAX_AGE": 0,
              "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": True}
    setup = DatabaseWrapper(config)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, hits INTEGER)")
        cursor.execute("INSERT INTO counter VALUES (1, 0)")
    setup.close()

    errors, both_read = [], threading.Barrier(2, timeout=1)

    def request():
        conn = DatabaseWrapper(config)
        try:
            # What transaction.atomic (ATOMIC_REQUESTS) does on SQLite: an explicit BEGIN [mode].
            conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with conn.cursor() as cursor:
                cursor.execute("SELECT hits FROM counter WHERE id = 1")  # the page reads
                try:
                    both_read.wait()  # with deferred transactions both now hold read locks
                except threading.BrokenBarrierError:
                    pass  # immediate transactions: the other request waits at BEGIN instead
                time.sleep(0.05)
                cursor.execute("UPDATE counter SET hits = hits + 1 WHERE id = 1")  # … then writes
            conn.commit()
        except Exception as exc:  # "database is locked" is the bug
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)

    assert errors == []
    check = DatabaseWrapper(config)
    with check.cursor() as cursor:
        cursor.execute("SELECT hits FROM counter WHERE id = 1")
        assert cursor.fetchone()[0] == 2
    check.close()
    django_db_blocker.restore()
