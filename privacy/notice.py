"""The privacy notice's version and the retention period: what every consent and every anonymisation
refers to. Change PRIVACY_NOTICE_VERSION whenever the notice's text (templates/privacy/notice.html)
changes, so consents show which text the person agreed to."""
import datetime as dt

from django.conf import settings


def version() -> str:
    return settings.PRIVACY_NOTICE_VERSION


def retention() -> dt.timedelta:
    """How long an order keeps its person's data (PRIVACY_RETENTION_DAYS; ten years by default, the
    keeping period of accounting documents: Law on Accounting 88/2015/QH13 art. 41, Decree
    174/2016/NĐ-CP art. 12)."""
    return dt.timedelta(days=settings.PRIVACY_RETENTION_DAYS)
