"""A producer's bank account: saved with its change logged and an e-mail to the producer."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import banks, mail
from .models import BankAccount, BankAccountChange


def _snapshot(account: BankAccount | None) -> dict:
    if account is None:
        return {}
    return {"bank_bin": account.bank_bin, "bank_name": account.bank_name, "holder": account.holder,
            "masked": account.masked_number}


@transaction.atomic
def save_account(*, producer, bank_bin: str, account_number: str, holder: str, user=None) -> BankAccountChange | None:
    """Set the producer's account. Returns the change logged, None when nothing changed."""
    account_number = (account_number or "").replace(" ", "")
    holder = " ".join((holder or "").split()).upper()
    account = BankAccount.objects.select_for_update(no_key=True).filter(producer=producer).first()
    before = _snapshot(account)
    if account is not None and (account.bank_bin, account.account_number, account.holder) == (bank_bin, account_number,
                                                                                               holder):
        return None
    account = account or BankAccount(producer=producer)
    account.bank_bin, account.account_number, account.holder = bank_bin, account_number, holder
    if banks.bank(bank_bin) is None:
        raise ValidationError({"bank_bin": [_("Choose a bank from the list.")]})
    account.full_clean()
    account.save()
    change = BankAccountChange.objects.create(producer=producer, changed_by=user, before=before,
                                              after=_snapshot(account))
    mail.queue_account_change(change)
    return change
