"""gunicorn reads this file from its working directory (the image's /app, a checkout's root): its
access and error lines in the same format as the shop's own (LOG_FORMAT), the access line with
the request id the shop put on the response (core/request_id.py)."""
import os

access_log_format = ('%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s "%(a)s"')

if os.environ.get("LOG_FORMAT", "text") == "json":
    # Each line one JSON object, the access line escaped as its message (a quote in a URL or a
    # user agent cannot break it).
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "pythonjsonlogger.json.JsonFormatter",
                                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                                "json_ensure_ascii": False}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stdout"},
                     "stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "loggers": {"gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
                    "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False}},
        "root": {"handlers": [], "level": "WARNING"},
    }

# A full garbage collection walks every object a worker holds: about 230,000 once Django, Oscar and
# the templates are loaded, 95 ms each time, about one request in a hundred (most of a search page's
# p99 at 100,000 products). After its first requests have loaded what the process keeps (templates,
# URL resolvers, caches of classes), a worker freezes it (gc.freeze): those objects leave the
# collector's walks, which then take a few milliseconds.
WARM_REQUESTS = 50


def post_request(worker, req, environ, resp):
    worker.ocop_requests = getattr(worker, "ocop_requests", 0) + 1
    if worker.ocop_requests == WARM_REQUESTS:
        import gc

        gc.collect()
        gc.freeze()
