from zhijia.women.models.checks import CheckCampaign, CheckSignup
from zhijia.women.models.provinces import Province
from zhijia.women.models.registrations import Registration
from zhijia.women.models.rooms import NursingRoom, RoomBooking

__all__ = [
    "CheckCampaign",
    "CheckSignup",
    "NursingRoom",
    "Province",
    "Registration",
    "RoomBooking",
]
