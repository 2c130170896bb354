from oscar.apps.address.abstract_models import AbstractUserAddress

from .postcodes import AdministrativeUnitCodes, VietnamesePostcodes


class UserAddress(VietnamesePostcodes, AdministrativeUnitCodes, AbstractUserAddress):
    class Meta(AbstractUserAddress.Meta):
        pass

    def validate_unique(self, exclude=None):
        # Oscar's check for the same address twice in a book reads self.user, which raised
        # RelatedObjectDoesNotExist for a form without its customer (the admin's); the form
        # already says the customer is missing, and without one there is no book to look in.
        if self.user_id is None:
            return super(AbstractUserAddress, self).validate_unique(exclude)
        return super().validate_unique(exclude)


from oscar.apps.address.models import *  # noqa: E402
