"""Writes of the service guide: a unit's cadres save it (sanitised rich text and the
structured contact fields), audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import audit
from zhijia.core.permissions import require
from zhijia.notices import rules
from zhijia.notices.actions.notices import NoticeRefused
from zhijia.notices.models import ServiceGuide
from zhijia.notices.permissions import EDIT_GUIDE
from zhijia.org.models import OrgUnit

TEXT_MAX = 20_000
LIMITS = {
    "contact_name": 64,
    "contact_phone": 32,
    "contact_email": 254,
    "address": 200,
    "office_hours": 200,
    "hotlines": 1000,
}


@transaction.atomic
def do_save_guide(
    *,
    actor,
    unit: OrgUnit,
    about: str = "",
    how_to_apply: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    address: str = "",
    office_hours: str = "",
    hotlines: str = "",
) -> ServiceGuide:
    require(actor, EDIT_GUIDE, unit=unit)
    errors: dict[str, list[str]] = {}
    fields = {
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "contact_email": contact_email,
        "address": address,
        "office_hours": office_hours,
    }
    # NUL characters (PostgreSQL's text refuses them) are dropped, like the forms refuse them.
    values = {k: " ".join((v or "").replace("\x00", "").split()) for k, v in fields.items()}
    values["hotlines"] = "\n".join(
        " ".join(line.split())
        for line in (hotlines or "").replace("\x00", "").splitlines()
        if line.strip()
    )
    about = (about or "").replace("\x00", "")
    how_to_apply = (how_to_apply or "").replace("\x00", "")
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            errors[name] = [_("不能超过 %(n)d 个字") % {"n": limit}]
    if values["contact_email"]:
        try:
            validate_email(values["contact_email"])
        except ValidationError:
            errors["contact_email"] = [_("请填写正确的电子邮箱")]
    for name, text in (("about", about), ("how_to_apply", how_to_apply)):
        if len(text or "") > TEXT_MAX:
            errors[name] = [_("不能超过 %(n)d 个字符") % {"n": TEXT_MAX}]
    if errors:
        raise NoticeRefused.for_fields(errors)
    guide, created = ServiceGuide.objects.select_for_update().get_or_create(org_unit=unit)
    guide.about = rules.clean_html(about)
    guide.how_to_apply = rules.clean_html(how_to_apply)
    for name, value in values.items():
        setattr(guide, name, value)
    guide.updated_by = actor
    guide.updated_at = timezone.now()
    guide.save()
    audit.record(
        actor=actor,
        action="notices.save_guide",
        target=guide,
        unit=unit,
        data={"created": created},
    )
    return guide
