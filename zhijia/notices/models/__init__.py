from zhijia.notices.models.guide import ServiceGuide
from zhijia.notices.models.notices import Notice, NoticeAudience, NoticeRead, NoticeReminder

__all__ = ["Notice", "NoticeAudience", "NoticeRead", "NoticeReminder", "ServiceGuide"]
