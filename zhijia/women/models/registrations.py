"""A woman member's own registration of a pregnancy, a birth or a miscarriage, made by her
choice and with her explicit consent.

Privacy (个人信息保护法 Art. 28/29: health data is sensitive personal information):
- Everything about the pregnancy, the birth and her health (kind, dates, number of babies,
  difficult birth, miscarriage) is one JSON document encrypted at rest (zhijia.core.crypto,
  purpose "women-registration"): the columns in clear say only whose registration it is, her
  unit, the province whose rules apply, and her consents.
- She sees it; the women workers' committee of her unit (women.view_registration over the
  unit's subtree) sees it, and each such read is written to the audit log
  (zhijia.women.privacy, a sensitive read she can see on her page). Nobody else: not the
  chair without the committee role, not the administrator (it is in no admin console).
- Her consent is recorded as given (`consent_text`, `consented_at`); her separate consent to
  tell her department's handlers (`department_consent`) is needed before any reminder goes to
  them.
- Withdrawing her consent DELETES the registration (with its encrypted data and the reminders'
  state); the audit log keeps only that a registration was withdrawn, no health data.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijia.core import crypto

PURPOSE = "women-registration"

CONSENT_TEXT = _(
    "本人自愿登记孕产信息，同意工会女职工委员会为计算和提醒本人的孕期、产假和哺乳期权益而"
    "保存和使用这些信息；信息加密保存，仅本人和本单位女职工委员会可见，每次查看均有记录。"
    "本人可随时撤回同意，撤回后登记即被删除。"
)
DEPARTMENT_CONSENT_TEXT = _("同意将孕期、产假和哺乳期的时间提醒发给本人所在部门的承办人。")


class Kind(models.TextChoices):
    PREGNANCY = "pregnancy", _("怀孕")
    BIRTH = "birth", _("生育")
    MISCARRIAGE = "miscarriage", _("流产")


@dataclass
class Details:
    """The encrypted part: dates as ISO strings inside the ciphertext."""

    kind: str
    babies: int = 1
    difficult: bool = False
    expected_date: dt.date | None = None
    pregnancy_started: dt.date | None = None
    birth_date: dt.date | None = None
    miscarriage_date: dt.date | None = None
    months_pregnant: int | None = None

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(
            {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}
        )

    @classmethod
    def from_json(cls, text: str) -> Details:
        data = json.loads(text)
        for key in ("expected_date", "pregnancy_started", "birth_date", "miscarriage_date"):
            if data.get(key):
                data[key] = dt.date.fromisoformat(data[key])
        return cls(**data)

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)


class Registration(models.Model):
    member = models.ForeignKey(
        "org.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("会员")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    province = models.ForeignKey(
        "women.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("适用省份")
    )
    details_encrypted = models.TextField(editable=False)
    consent_text = models.TextField(_("同意内容"), editable=False)
    consented_at = models.DateTimeField(_("同意时间"), editable=False)
    department_consent = models.BooleanField(_("同意提醒所在部门"), default=False)
    department_consented_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Codes of the reminders sent (rules.due_reminders), so that each goes once.
    reminders_sent = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("孕产登记")
        verbose_name_plural = _("孕产登记")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.member_id}:{self.pk}"

    def set_details(self, details: Details) -> None:
        self.details_encrypted = crypto.encrypt(details.to_json(), purpose=PURPOSE)

    def get_details(self) -> Details:
        return Details.from_json(crypto.decrypt(self.details_encrypted, purpose=PURPOSE))
