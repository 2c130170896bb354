"""Running calls truly at once, for the PostgreSQL concurrency tests (checkout, POS counters)."""
import threading

from django.db import connection


def at_once(calls, *, refused_as: type[Exception]):
    """Run each call in its own thread and database connection, all released together by a
    barrier; returns (results, `refused_as` raised, anything else raised)."""
    start = threading.Barrier(len(calls), timeout=30)
    done, refused, errors = [], [], []

    def run(call):
        try:
            start.wait()
            done.append(call())
        except refused_as as exc:
            refused.append(exc)
        except Exception as exc:  # a deadlock or an IntegrityError would land here
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    return done, refused, errors
