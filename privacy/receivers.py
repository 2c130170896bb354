"""Sign-up is Oscar's view (the customer app is not forked): its user_registered signal, sent once
the account exists, records the consent the registration page asked for."""


def on_user_registered(sender, user, request=None, **kwargs):
    from .consent import record_signup_consent

    record_signup_consent(user=user)


def connect():
    from oscar.apps.customer.signals import user_registered

    user_registered.connect(on_user_registered, dispatch_uid="privacy.signup_consent")
