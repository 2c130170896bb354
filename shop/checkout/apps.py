import oscar.apps.checkout.apps as apps
from django.urls import path


class CheckoutConfig(apps.CheckoutConfig):
    name = 'shop.checkout'

    def get_urls(self):
        from . import stripe_views
        from .address_views import wards_view
        from .pickup_views import PickupContactView

        urls = super().get_urls()
        urls += [
            path("wards/", wards_view, name="wards"),
            path("pickup/", PickupContactView.as_view(), name="pickup-contact"),
            path("stripe/webhook/", stripe_views.webhook, name="stripe-webhook"),
            path("stripe/retry/<str:order_number>/", stripe_views.retry, name="stripe-retry"),
        ]
        return urls
