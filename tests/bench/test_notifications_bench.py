"""The notification bench: skips in one line without PostgreSQL and Redis, and prints one line of
figures."""
from bench import notify_latency as notifications


def test_without_services_it_says_in_one_line_why_and_fails_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    said = []
    assert notifications.measure(tmp=tmp_path, say=said.append) is None
    assert said == ["notification bench skipped: needs DATABASE_URL=postgres://… (its server) and REDIS_URL=redis://…"]


def test_without_redis_it_says_so(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop")
    monkeypatch.delenv("REDIS_URL", raising=False)
    found, why = notifications.services()
    assert found is None and "REDIS_URL" in why


def test_the_bench_database_has_its_own_name(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    assert notifications.services() == (("postgres://postgres@127.0.0.1:5432/ocop_bench_notify",
                                          "redis://127.0.0.1:6379/3"), "")


def test_result_line():
    line = notifications.format_result({"orders": 200, "delivered": 200, "rate": 15.0, "p50_ms": 27.2,
                                        "p95_ms": 41.0, "max_ms": 255.0})
    assert line.startswith("notification latency, order commit → delivered: p50 27 ms, p95 41 ms, max 255 ms over "
                           "200/200 orders")
