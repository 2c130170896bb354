"""The orders bench: skips in one line without PostgreSQL, and prints one aligned row per scenario."""
import socket

from bench import orders


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends


def test_without_postgresql_it_says_in_one_line_why_and_fails_nothing(monkeypatch, tmp_path):
    port = closed_port()
    monkeypatch.setenv("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:{port}/ocop_bench")
    said = []

    problem = orders.measure(seconds=1, tmp=tmp_path, say=said.append)

    assert problem is None
    assert len(said) == 1
    assert said[0].startswith(f"orders bench skipped: no PostgreSQL at 127.0.0.1:{port}")


def test_a_sqlite_bench_database_is_skipped(monkeypatch):
    monkeypatch.setenv("BENCH_DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    url, why = orders.database_url()
    assert url is None and "not PostgreSQL" in why


def test_the_orders_database_has_its_own_name(monkeypatch):
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    port = listening.getsockname()[1]
    monkeypatch.setenv("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:{port}/ocop_bench")
    try:
        url, why = orders.database_url()
    finally:
        listening.close()
    assert (url, why) == (f"postgres://postgres@127.0.0.1:{port}/ocop_bench_orders", "")


def test_table_has_one_aligned_row_per_scenario_and_names_errors():
    row = {"orders": 75, "rate": 13.3, "p50_ms": 311.1, "p95_ms": 734.7, "errors": 0, "first_error": ""}
    failed = dict(row, errors=2, first_error="OperationalError: deadlock detected")

    table = orders.format_table({"contested": row, "uncontested": failed}).splitlines()

    assert len(table) == 4
    assert len({line.index("|") for line in table if "|" in line}) == 1
    assert "13.3" in table[2] and "734.7 ms" in table[2]
    assert table[3].endswith("| 2 OperationalError: deadlock detected")


def test_percentile_of_the_calls():
    assert orders._percentile([], 0.95) == 0.0
    assert orders._percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
