"""Tells audit.rights whose request is being served, for the whole request (views, forms, admin
inlines, bulk actions, tasks run inline)."""
from .rights import acting_user


class RightsActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_user(getattr(request, "user", None)):
            return self.get_response(request)
