"""Expiry reminders: one e-mail and one dashboard notification per certificate and threshold, never
twice, never for a renewed or revoked certificate, and a lost delivery is sent by the next run."""
import datetime as dt
from smtplib import SMTPException
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from oscar.core.loading import get_model

from catalog_ext import rules, services
from catalog_ext.models import Certificate, CertificateReminder
from notifications.tasks import send_certificate_expiry_reminders
from shop.celery import app

from .conftest import demo_product

Notification = get_model("communication", "Notification")
Partner = get_model("partner", "Partner")
pytestmark = pytest.mark.django_db
TEA, HONEY = "DEMO-SL-2023-TE003", "DEMO-SL-2023-HN003"


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the daily task as beat would, with deliveries (enqueued on commit) running inline."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True

    def run_task():
        with django_capture_on_commit_callbacks(execute=True):
            send_certificate_expiry_reminders.delay()
        return list(mail.outbox)

    yield run_task
    app.conf.task_always_eager = eager


@pytest.fixture
def honey_contact(db):
    Partner.objects.filter(code="sop-cop-honey").update(contact_email="honey@sopcop.example")


def sent_for(outbox, number):
    return [m for m in outbox if number in m.subject]


def test_first_run_reminds_each_expiring_certificate_once(run, honey_contact):
    outbox = run()
    # TE-003 (Mộc Châu tea: one dashboard user) and HN-003 (Sốp Cộp honey: contact e-mail only)
    assert [m.to for m in sent_for(outbox, TEA)] == [["mocchau.tea@ocop.demo"]]
    assert [m.to for m in sent_for(outbox, HONEY)] == [["honey@sopcop.example"]]
    assert len(outbox) == 2
    tea = sent_for(outbox, TEA)[0]
    # In Vietnamese, through Oscar's communication framework (text and HTML)
    assert tea.subject.startswith("Giấy chứng nhận OCOP")
    assert demo_product("TE-003").title in tea.body and "hết hiệu lực" in tea.body
    assert tea.alternatives and TEA in tea.alternatives[0][0]
    reminders = CertificateReminder.objects.order_by("certificate__number")
    assert [(r.certificate.number, r.threshold_days, r.delivered_at is not None) for r in reminders] == [
        (HONEY, 30, True), (TEA, 30, True)]
    # The tea producer's dashboard user finds it in the inbox too
    inbox = Notification.objects.filter(recipient__email="mocchau.tea@ocop.demo")
    assert inbox.count() == 1 and TEA in inbox.get().subject


def test_second_run_sends_nothing_new(run):
    first = len(run())
    assert first == 1  # TE-003 only: the honey producer has no e-mail on file
    assert len(run()) == first
    assert CertificateReminder.objects.count() == 2  # HN-003 recorded, with no one to send to
    assert CertificateReminder.objects.get(certificate__number=HONEY).recipients == ""
    assert Notification.objects.filter(recipient__email="mocchau.tea@ocop.demo").count() == 1


def test_renewed_certificates_are_not_reminded(run, honey_contact):
    old = Certificate.objects.get(number=TEA)
    services.renew_certificate(old=old, stars=4, score=80, number="RENEWED-TE003", issuer=old.issuer,
                               level="province", issued_on=rules.today())
    outbox = run()
    assert sent_for(outbox, TEA) == [] and len(sent_for(outbox, HONEY)) == 1
    assert not CertificateReminder.objects.filter(certificate=old).exists()


def test_revoked_certificates_are_not_reminded(run, honey_contact):
    services.revoke_certificate(certificate=Certificate.objects.get(number=HONEY), reason="Sold the brand")
    outbox = run()
    assert sent_for(outbox, HONEY) == [] and len(sent_for(outbox, TEA)) == 1


def test_seven_day_reminder_comes_once_after_the_thirty_day_one(run):
    assert len(sent_for(run(), TEA)) == 1
    # A few weeks later: six days left
    Certificate.objects.filter(number=TEA).update(expires_on=rules.today() + dt.timedelta(days=6))
    assert len(sent_for(run(), TEA)) == 2
    assert len(sent_for(run(), TEA)) == 2
    assert sorted(CertificateReminder.objects.filter(certificate__number=TEA).values_list(
        "threshold_days", flat=True)) == [7, 30]


def test_first_seen_within_seven_days_gets_only_the_last_call(run):
    Certificate.objects.filter(number=TEA).update(expires_on=rules.today() + dt.timedelta(days=3))
    assert len(sent_for(run(), TEA)) == 1
    assert list(CertificateReminder.objects.filter(certificate__number=TEA).values_list(
        "threshold_days", flat=True)) == [7]


def test_a_failed_delivery_is_retried_and_sent_by_the_next_run(run):
    # Given the mail server refuses every attempt (the task retries, then gives up)
    with mock.patch("notifications.certificates._send", side_effect=SMTPException("451 try later")) as send:
        assert run() == []
    assert send.call_count > 1  # autoretry_for: it was tried again
    reminder = CertificateReminder.objects.get(certificate__number=TEA)
    assert reminder.delivered_at is None  # recorded, not delivered
    # When the next daily run comes (the reminder is stale by then)
    CertificateReminder.objects.update(created_at=timezone.now() - dt.timedelta(hours=2))
    outbox = run()
    # Then it is delivered, once
    assert len(sent_for(outbox, TEA)) == 1
    reminder.refresh_from_db()
    assert reminder.delivered_at is not None


def test_the_reminder_task_runs_daily():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == "notifications.tasks.send_certificate_expiry_reminders")
    assert entry["schedule"].remaining_estimate(timezone.now()) <= dt.timedelta(days=1)
    assert send_certificate_expiry_reminders.retry_backoff and send_certificate_expiry_reminders.autoretry_for
