"""The counter bench: its own database name, SQLite when there is no PostgreSQL, and one aligned
row per counter request with the issue's targets beside the measured p95."""
import socket

from bench import pos


def test_without_postgresql_the_counter_bench_runs_on_a_fresh_sqlite_file(monkeypatch, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:{port}/ocop_bench")
    assert pos.database_url(tmp_path) == (f"sqlite:///{tmp_path / 'pos.sqlite3'}", "SQLite")


def test_with_postgresql_the_counter_bench_has_its_own_database(monkeypatch, tmp_path):
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    port = listening.getsockname()[1]
    monkeypatch.setenv("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:{port}/ocop_bench")
    try:
        url, kind = pos.database_url(tmp_path)
    finally:
        listening.close()
    assert (url, kind) == (f"postgres://postgres@127.0.0.1:{port}/ocop_bench_pos", "PostgreSQL")


def test_the_table_shows_each_request_with_its_target_and_errors():
    scan = {"n": 44, "p50_ms": 47.9, "p95_ms": 80.9, "errors": 0, "first_error": ""}
    complete = {"n": 22, "p50_ms": 124.3, "p95_ms": 187.0, "errors": 1, "first_error": "409 b'{...}'"}

    table = pos.format_table({"scan": scan, "complete": complete}).splitlines()

    assert len(table) == 4
    assert len({line.index("|") for line in table if "|" in line}) == 1
    assert "80.9 ms" in table[2] and "100 ms" in table[2]
    assert "187.0 ms" in table[3] and "300 ms" in table[3] and table[3].endswith("| 1 409 b'{...}'")
