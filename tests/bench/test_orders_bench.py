"""The orders bench: skips in one line without PostgreSQL, prints one aligned row per scenario and
way of running the buyers, and says whether the goal is met and nothing was oversold."""
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


def test_a_database_named_for_the_orders_bench_keeps_its_name(monkeypatch):
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    port = listening.getsockname()[1]
    monkeypatch.setenv("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:{port}/ocop_bench_orders_h3")
    try:
        url, why = orders.database_url()
    finally:
        listening.close()
    assert (url, why) == (f"postgres://postgres@127.0.0.1:{port}/ocop_bench_orders_h3", "")


ROW = {"orders": 75, "rate": 13.3, "p50_ms": 311.1, "p95_ms": 734.7, "errors": 0, "first_error": "",
       "cpu_ms": 12.0, "db_cpu_ms": 4.0}


def results(uncontested=None, oversold=()):
    """Every scenario × way of running the buyers: ROW, the uncontested one on 8 processes as given."""
    runs = {f"{name}/{model}": dict(ROW) for name in orders.SCENARIOS for model, _ in orders.MODELS}
    runs[f"uncontested/{orders.MODELS[0][0]}"] = dict(ROW, **(uncontested or {}))
    return {"runs": runs, "oversold": list(oversold)}


def test_table_has_one_aligned_row_per_scenario_and_way_and_names_errors():
    failed = {"errors": 2, "first_error": "OperationalError: deadlock detected"}

    table = orders.format_table(results(uncontested=failed)).splitlines()

    assert len(table) == 2 + len(orders.SCENARIOS) * len(orders.MODELS)
    assert len({line.index("|") for line in table if "|" in line}) == 1
    assert table[2].startswith("contested (1 product)") and "8 processes" in table[2]
    assert "8 threads, 1 process" in table[3] and table[3].startswith(" ")  # the scenario named once
    assert "13.3" in table[2] and "734.7 ms" in table[2]
    assert table[4].startswith("uncontested (8 products)")
    assert table[4].endswith("| 2 OperationalError: deadlock detected")


def test_the_goal_is_read_on_the_uncontested_buyers_in_their_own_processes():
    met = orders.goal_line(results(uncontested={"rate": 104.2, "p95_ms": 151.0}))
    slow = orders.goal_line(results(uncontested={"rate": 104.2, "p95_ms": 230.0}))
    oversold = orders.goal_line(results(uncontested={"rate": 104.2, "p95_ms": 151.0}, oversold=["#3: …"]))

    assert "8 processes" in met and "104.2/s, p95 151 ms" in met and met.endswith("→ met")
    assert slow.endswith("→ NOT met") and oversold.endswith("→ NOT met")


def test_the_cpu_of_an_order_bounds_the_rate_of_the_cores(monkeypatch):
    monkeypatch.setattr(orders.os, "cpu_count", lambda: 2)
    line = orders.cpu_line(results(uncontested={"cpu_ms": 12.0, "db_cpu_ms": 4.0}))
    assert "Python 12.0 ms + PostgreSQL 4.0 ms = 16.0 ms" in line and line.endswith("at most 125 orders/s")


def test_oversold_records_are_named():
    assert orders.oversold_line([]).startswith("oversold: 0")
    line = orders.oversold_line(["#7: allocated 41, lines hold 40, in stock 10000000"])
    assert line.startswith("OVERSOLD or lost units on 1 records") and "#7: allocated 41" in line


def test_percentile_of_the_calls():
    assert orders._percentile([], 0.95) == 0.0
    assert orders._percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
