"""Row ids as they arrive from outside (a posted checkbox, a URL part, a filter): a whole number
from 1 up to PostgreSQL's bigint, or nothing. `int()` alone takes " 7", "²" and numbers the
database cannot compare with, and Django's lookups raise ValueError on "abc": every place that
takes an id from a request asks here."""
from __future__ import annotations

from collections.abc import Iterable

MAX_ID = 2**63 - 1  # PostgreSQL's bigint; a larger value overflows in the query


def row_id(value) -> int | None:
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def row_ids(values: Iterable) -> list[int]:
    """The values that are row ids, as ints, in their order; the rest dropped."""
    return [number for number in map(row_id, values) if number is not None]


class SelectsOnlyRowIds:
    """For Oscar's bulk-edit views (BulkEditMixin): the ticked rows' ids filter the queryset
    unchecked, and one that is no number ("" or "abc") raised ValueError, a 500. Those are dropped,
    so the view answers as it does for a post with nothing ticked."""

    def get_selected_ids(self, request):
        name = f"selected_{self.get_checkbox_object_name()}"
        request.POST = request.POST.copy()
        request.POST.setlist(name, [str(pk) for pk in row_ids(request.POST.getlist(name))])
        return super().get_selected_ids(request)
