"""One id per request, on every log line it causes, here and in the Celery tasks it enqueues.

The proxy's X-Request-ID is kept when it is short and made of safe characters (it ends up in log
lines and a response header: no spaces, quotes or newlines); otherwise a new one is made. The id
goes back on the response (X-Request-ID), into every log record of the request (a contextvar,
read by `RequestIdFilter` on the log handlers: settings.LOGGING), and into the headers of every
task published meanwhile; on the worker the task runs under the same id, so a producer
notification's delivery line carries the id of the order's request.
"""
from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
NO_REQUEST = "-"
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def accepted(value: str | None) -> str | None:
    """The proxy's id when it may be used as it is."""
    return value if value and _SAFE.fullmatch(value) else None


def new_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted(request.headers.get(HEADER)) or new_id()
        request.request_id = request_id
        # Not reset on the way out: Django logs "Not Found" and error responses after the middleware
        # has returned; `request_finished` (the response closed) ends the id.
        current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _request_finished(**kwargs):
    current.set(NO_REQUEST)


def install_log_record_factory() -> None:
    """Every record is made with the current id (so handlers of any kind, tests' too, see it)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "adds_request_id", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        record.request_id = current.get()
        return record

    factory.adds_request_id = True
    logging.setLogRecordFactory(factory)


class RequestIdFilter(logging.Filter):
    """On the log handlers: a record made before the factory was installed still formats."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current.get()
        return True


# ---------------------------------------------------------------------------- Celery
def _publishing(headers=None, **kwargs):
    request_id = current.get()
    if headers is not None and request_id != NO_REQUEST:
        headers.setdefault(TASK_HEADER, request_id)


_task_tokens: dict[str, object] = {}


def _task_starting(task_id=None, task=None, **kwargs):
    request_id = accepted(getattr(task.request, TASK_HEADER, None)) if task is not None else None
    if request_id and task_id:
        _task_tokens[task_id] = current.set(request_id)


def _task_finished(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        current.reset(token)


def connect_signals() -> None:
    from celery import signals
    from django.core.signals import request_finished

    request_finished.connect(_request_finished, dispatch_uid="ocop-request-id-finished")

    signals.before_task_publish.connect(_publishing, dispatch_uid="ocop-request-id-publish", weak=False)
    signals.task_prerun.connect(_task_starting, dispatch_uid="ocop-request-id-prerun", weak=False)
    signals.task_postrun.connect(_task_finished, dispatch_uid="ocop-request-id-postrun", weak=False)
