"""A gunicorn worker freezes the objects it holds after its first requests (gunicorn.conf.py), so
full garbage collections no longer walk Django's, Oscar's and the templates' objects."""
import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_a_worker_freezes_what_it_holds_after_its_first_requests():
    hooks = runpy.run_path(str(CONF))
    worker = SimpleNamespace()
    try:
        gc.unfreeze()
        for _ in range(hooks["WARM_REQUESTS"] - 1):
            hooks["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() == 0
        hooks["post_request"](worker, None, {}, None)
        frozen = gc.get_freeze_count()
        assert frozen > 0
        hooks["post_request"](worker, None, {}, None)  # once: later requests freeze nothing more
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
