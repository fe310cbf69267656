from listening.models.brands import Brand, BrandAccount
from listening.models.corrections import Correction, ReclassifyRun, TenantRule
from listening.models.mentions import Mention
from listening.models.sources import Source
from listening.models.tenancy import Agency, AgencyMembership, Membership, Role, Tenant
from listening.models.volume import VolumeDaily, VolumeHourly

__all__ = [
    "Agency",
    "AgencyMembership",
    "Brand",
    "BrandAccount",
    "Correction",
    "Membership",
    "Mention",
    "ReclassifyRun",
    "Role",
    "Source",
    "Tenant",
    "TenantRule",
    "VolumeDaily",
    "VolumeHourly",
]
