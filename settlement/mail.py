"""What settlement tells a producer, through the one outbox (notifications): a payout with its
statement, and every change of their bank account (so a change they did not make is noticed).
Rows are written in the caller's transaction; the outbox delivers after commit."""
from __future__ import annotations

from notifications import services as outbox
from notifications.models import Kind

STATEMENT_LINES = 200  # an e-mail, not a ledger: the portal has every line and the PDF


def queue_payout_statement(payout) -> None:
    from .statements import statement_rows

    rows = statement_rows(payout.producer, start=payout.run.period_start, end=payout.run.period_end)
    payload = {
        "reference": payout.reference, "amount": int(payout.amount), "bank": payout.bank_name,
        "account": "•" * max(len(payout.account_number) - 4, 0) + payout.account_number[-4:],
        "holder": payout.holder, "bank_reference": payout.bank_reference,
        "period_start": payout.run.period_start.isoformat(), "period_end": payout.run.period_end.isoformat(),
        "lines": [{"date": r.date.isoformat(), "document": r.document, "product": r.product,
                   "quantity": r.quantity, "gross": r.gross, "commission": r.commission, "net": r.net}
                  for r in rows[:STATEMENT_LINES]],
        "more_lines": max(len(rows) - STATEMENT_LINES, 0),
        "gross": sum(r.gross for r in rows), "commission": sum(r.commission for r in rows),
        "net": sum(r.net for r in rows),
    }
    outbox.queue(kind=Kind.PAYOUT, partner=payout.producer, payload=payload, dedupe_key=f"payout:{payout.pk}")


def queue_account_change(change) -> None:
    after = change.after
    payload = {"bank": after.get("bank_name", ""), "account": after.get("masked", ""), "holder": after.get("holder", ""),
               "changed_by": getattr(change.changed_by, "email", "") or "", "changed_at": change.changed_at.isoformat(),
               "first": not change.before}
    outbox.queue(kind=Kind.BANK_ACCOUNT, partner=change.producer, payload=payload,
                 dedupe_key=f"bank_account:{change.pk}")
