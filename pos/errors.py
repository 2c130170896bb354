class PosError(Exception):
    """A rule of the counter said no; str(exc) is the message the cashier reads (translated)."""

    def __init__(self, message, status: int = 400):
        super().__init__(str(message))
        self.status = status
