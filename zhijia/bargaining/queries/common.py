"""What the bargaining subjects' queries share: ids from a URL, who is a member, scopes."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import get_language

from zhijia.accounts.models import Role
from zhijia.bargaining import rules
from zhijia.bargaining.permissions import MANAGE
from zhijia.core.permissions import has_perm, scope_q


def pk_or_404(value) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    return pk


def is_member(user) -> bool:
    """A signed-in user with a member record on the roll (在册)."""
    if not getattr(user, "is_authenticated", False) or Role.MEMBER not in user.role_codes:
        return False
    member = getattr(user, "member_record", None)
    return member is not None and member.status == "active"


def member_prefixes(user) -> list[str]:
    """The paths of the member's unit and the units above it (none for a non-member)."""
    if not is_member(user):
        return []
    return user.member_record.org_unit.path_prefixes()


def may_manage(user) -> bool:
    """Holds bargaining.manage somewhere."""
    return has_perm(user, MANAGE)


def manages(user, unit) -> bool:
    return has_perm(user, MANAGE, unit=unit)


def managed_units(user):
    """The units of the cadre's scope, in tree order (for a form's unit choice)."""
    from zhijia.org.models import OrgUnit

    return OrgUnit.objects.filter(scope_q(user, MANAGE, path_field="path")).order_by("path")


def article_number(n: int) -> str:
    """An article's number as the language writes it: 三十二 in Chinese, 32 otherwise."""
    return rules.chinese_number(n) if (get_language() or "zh").startswith("zh") else str(n)
