from django.contrib import admin
from oscar.apps.payment.admin import *  # noqa: F401,F403

from shop.payment.models import OrderPayment


@admin.register(OrderPayment)
class OrderPaymentAdmin(admin.ModelAdmin):
    list_display = ("order", "method", "cod_inspection", "created_at")
    list_filter = ("method", "cod_inspection")
    search_fields = ("order__number",)
    raw_id_fields = ("order",)

from .stripe_admin import StripeCheckoutAdmin, StripeEventAdmin  # noqa: E402,F401
