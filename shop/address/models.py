from oscar.apps.address.abstract_models import AbstractUserAddress

from .postcodes import VietnamesePostcodes


class UserAddress(VietnamesePostcodes, AbstractUserAddress):
    class Meta(AbstractUserAddress.Meta):
        pass


from oscar.apps.address.models import *  # noqa: E402
