import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    name = 'shop.partner'

    def ready(self):
        super().ready()
        from . import alerts

        alerts.install()  # Oscar's stock alert receivers, without their queries after every stock movement
