from listening.models.brands import Brand, BrandAccount
from listening.models.mentions import Mention
from listening.models.sources import Source
from listening.models.tenancy import Agency, AgencyMembership, Membership, Role, Tenant
from listening.models.volume import VolumeDaily, VolumeHourly

__all__ = [
    "Agency",
    "AgencyMembership",
    "Brand",
    "BrandAccount",
    "Membership",
    "Mention",
    "Role",
    "Source",
    "Tenant",
    "VolumeDaily",
    "VolumeHourly",
]
