from listening.models.alerts import Alert, AlertChannel, AlertDelivery, AlertEvent
from listening.models.brands import Brand, BrandAccount
from listening.models.complaints import ComplaintEvent, TenantHoliday
from listening.models.corrections import Correction, ReclassifyRun, TenantRule
from listening.models.learning import LearnedModel, LearningState
from listening.models.mentions import Mention
from listening.models.oauth import OAuthState
from listening.models.queue import BulkAction, BulkActionKind, SavedView
from listening.models.replies import OutgoingReply, ReplyStatus
from listening.models.sources import Source
from listening.models.tenancy import Agency, AgencyMembership, Membership, Role, Tenant
from listening.models.tokens import ApiToken, TokenScope
from listening.models.volume import VolumeDaily, VolumeHourly

__all__ = [
    "Agency",
    "Alert",
    "AlertChannel",
    "AlertDelivery",
    "AlertEvent",
    "AgencyMembership",
    "ApiToken",
    "Brand",
    "BrandAccount",
    "BulkAction",
    "BulkActionKind",
    "ComplaintEvent",
    "Correction",
    "LearnedModel",
    "LearningState",
    "Membership",
    "Mention",
    "OAuthState",
    "OutgoingReply",
    "ReclassifyRun",
    "ReplyStatus",
    "Role",
    "SavedView",
    "Source",
    "Tenant",
    "TenantHoliday",
    "TenantRule",
    "TokenScope",
    "VolumeDaily",
    "VolumeHourly",
]
