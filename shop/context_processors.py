"""Context processors of the shop (shop/settings.py TEMPLATES)."""
from django.utils.functional import SimpleLazyObject
from oscar.core.loading import get_model


def notifications(request):
    """Oscar's `num_unread_notifications` (oscar.apps.communication.notifications.context_processors),
    counted only when a template reads it (issue 21). Oscar's counts on every signed-in request:
    one query on each signed-in page, although the header's account link (the one place that shows
    the count, ocop/layout/account_basket.html) usually comes from the visitor's kept drawing
    (listing.page_parts) and no dashboard or producer page shows it. The value prints and tests as
    Oscar's int did; a render that reads it counts once."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    Notification = get_model("communication", "Notification")
    return {"num_unread_notifications": SimpleLazyObject(
        lambda: Notification.objects.filter(recipient=user, date_read=None).count())}


def search_form(request):
    """Oscar's `search_form` (oscar.apps.search.context_processors), built only when a template
    reads it (issue 21): Oscar's built a bound SearchForm on every page, and none of the shop's
    templates shows it (the header's search box is drawn once per language: `{% frame_fixed %}`).
    Oscar's own templates that read it still get the form, bound to the query string."""
    from oscar.core.loading import get_class

    return {"search_form": SimpleLazyObject(lambda: get_class("search.forms", "SearchForm")(request.GET))}
