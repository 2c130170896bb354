from oscar.apps.address.abstract_models import AbstractUserAddress

from .postcodes import AdministrativeUnitCodes, VietnamesePostcodes


class UserAddress(VietnamesePostcodes, AdministrativeUnitCodes, AbstractUserAddress):
    class Meta(AbstractUserAddress.Meta):
        pass


from oscar.apps.address.models import *  # noqa: E402
