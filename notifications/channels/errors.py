"""How a provider's failure is taken: try again later, or leave it for a person."""


class TemporaryError(Exception):
    """Worth trying again later: a timeout before the provider had the message, a 5xx, a busy
    provider, an empty balance. The delivery task retries with backoff; beat re-sends."""


class PermanentError(Exception):
    """Trying again cannot help (a bad number, a template the provider rejected, a token that cannot
    be refreshed), or could send a paid message twice (the outcome is unknown). Recorded on the
    message as failed, shown to staff, never retried by itself."""
