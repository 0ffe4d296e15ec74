"""Demo content of module disclosure: the default catalogue and a few published items.

`ensure_demo_disclosures()` is idempotent (each demo item carries a "demo:" source reference)
and leaves branch 1's workshop bonus of the last month unpublished on purpose, so that the
demo board shows an outstanding monthly disclosure for branch1 to publish.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from zhijia.core.errors import ActionRefused
from zhijia.disclosure import rules
from zhijia.disclosure.actions import items as actions
from zhijia.disclosure.catalogue import ensure_default_catalogue
from zhijia.disclosure.models import period_label
from zhijia.disclosure.queries import catalogue as queries_catalogue
from zhijia.disclosure.queries import items as queries

logger = logging.getLogger(__name__)


def _demo_items(today):
    month = rules.obligation_period(rules.MONTHLY, today)
    before = month.previous()
    quarter = rules.obligation_period(rules.QUARTERLY, today)
    return [
        (
            "U",
            "chair",
            "pay-bonus",
            month.key,
            f"{period_label(month.key)}工资奖金分配情况",
            "本月奖金按《绩效考核与奖金分配办法》执行，各分工会明细见下表。\n"
            "如有疑问，可在本页提问，工会将在5个工作日内答复。",
            "单位,人数,奖金总额（元）,人均（元）\n第一分工会,68,81600,1200\n"
            "第二分工会,71,83780,1180\n第三分工会,61,70150,1150",
        ),
        (
            "U",
            "chair",
            "entertainment-vehicles",
            quarter.key,
            f"{period_label(quarter.key)}业务招待费和公务用车费用",
            "按照厂务公开制度，现将本季度业务招待费和公务用车费用公开如下。",
            "项目,预算（万元）,实际支出（万元）\n业务招待费,12.0,9.6\n公务用车运行费,8.0,7.2",
        ),
        (
            "B2",
            "branch2",
            "workshop-bonus",
            month.key,
            f"第二分工会{period_label(month.key)}奖金分配",
            "按岗位系数和出勤天数分配，明细见附表。",
            "班组,人数,奖金总额（元）\n检修一班,18,21240\n检修二班,17,20060",
        ),
        (
            "B1",
            "branch1",
            "workshop-bonus",
            before.key,
            f"第一分工会{period_label(before.key)}奖金分配",
            "按岗位系数和出勤天数分配。",
            "班组,人数,奖金总额（元）\n发电一班组,17,20400\n发电二班组,16,19200",
        ),
    ]


def ensure_demo_disclosures() -> int:
    """Create the demo items that are missing; returns how many were created."""
    ensure_default_catalogue()
    today = timezone.localdate()
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    created = 0
    for unit_code, username, entry_code, period, title, body, table in _demo_items(today):
        ref = f"demo:{entry_code}:{unit_code}:{period}"
        unit = queries.unit_by_code(unit_code)
        entry = queries_catalogue.get_entry_by_code(entry_code)
        actor = users.get(username)
        if unit is None or entry is None or actor is None or queries.item_by_source(ref):
            continue
        try:
            actions.do_publish_item(
                actor=actor,
                unit=unit,
                entry=entry,
                period_key=period,
                title=title,
                body=body,
                table_text=table,
                source_ref=ref,
            )
        except (ActionRefused, PermissionDenied) as exc:  # e.g. already disclosed by hand
            logger.info("demo disclosure %s skipped: %s", ref, exc)
            continue
        created += 1
    return created


def seed_demo() -> str:
    """Called by `zhijia seed-demo`: the default catalogue and a few published items."""
    created = ensure_demo_disclosures()
    return f"disclosure: default catalogue, {created} demo items"
