"""Vietnamese addresses: no postcode needed, and a postcode, when given, is today's 5-digit code
(Vietnam's postcodes have had five digits since 2018; Oscar still expects the old six)."""
import pytest
from django.core.exceptions import ValidationError
from oscar.core.loading import get_model

Country = get_model("address", "Country")
Partner = get_model("partner", "Partner")
PartnerAddress = get_model("partner", "PartnerAddress")
UserAddress = get_model("address", "UserAddress")
ShippingAddress = get_model("order", "ShippingAddress")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [PartnerAddress, UserAddress, ShippingAddress])
@pytest.mark.parametrize("postcode", ["", "34000", "34 000"])
def test_vietnamese_address_without_or_with_a_five_digit_postcode_is_valid(model, postcode):
    address = model(first_name="Lò Văn", last_name="Minh", line1="Bản Hát Sét", line4="Xã Chiềng Mai",
                    state="Sơn La", postcode=postcode, country=Country.objects.get(iso_3166_1_a2="VN"))
    address.clean()


@pytest.mark.parametrize("postcode", ["360000", "ABC12"])
def test_a_wrong_postcode_is_refused_with_a_message(postcode):
    address = PartnerAddress(line1="Bản Hát Sét", line4="Xã Chiềng Mai", postcode=postcode,
                             country=Country.objects.get(iso_3166_1_a2="VN"))
    with pytest.raises(ValidationError) as caught:
        address.clean()
    assert "postcode" in caught.value.message_dict
