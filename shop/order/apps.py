import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    name = 'shop.order'

    def ready(self):
        super().ready()
        from . import event_types

        event_types.connect()  # a change of event types replaces the version the kept lists are read with
