"""What the homes actions share: the Chinese messages of the pure rules' refusals."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from zhijia.homes import rules


def rule_message(exc: rules.RuleError) -> str:
    messages = {
        "negative": _("分数不能为负数"),
        "over_maximum": _("分数不能超过满分 %(maximum)s 分"),
        "decimals": _("分数最多保留两位小数"),
        "tier_line": _("第 %(line)s 行应为“称号=分数线”"),
        "tier_number": _("第 %(line)s 行的分数线应为 0 到 1000 之间的数"),
        "tier_twice": _("第 %(line)s 行的称号重复"),
    }
    params = {
        k: f"{v.normalize():f}" if isinstance(v, Decimal) else v for k, v in exc.params.items()
    }
    return messages.get(exc.code, _("输入有误")) % params
