"""The world of tests/access/test_notices.py, built once per module.

Targets: "b1", a must-read notice of branch 1 (by branch1, to branch 1), and "u", a must-read
notice of the union committee (by the chair, to everyone); both published, worker1 has read
"u". For each target also a draft by the same cadre and the target's unit (for the service
guide; branch 1 has a written guide, the committee none).
"""

from __future__ import annotations

from django.core.cache import cache

from tests.access.framework import World, fingerprint, make_clients

TARGETS = ("b1", "u")


def build_world() -> World:
    from zhijia.notices.actions import guide as guide_actions
    from zhijia.notices.actions import notices as actions
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import OrgUnit

    cache.clear()
    ensure_demo_structure()
    personas = ensure_demo_accounts()
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["U", "B1"])}
    author = {"b1": ("B1", "branch1"), "u": ("U", "chair")}
    notice, draft = {}, {}
    for t, (code, by) in author.items():
        published = actions.do_create_notice(
            actor=personas[by],
            org_unit=units[code],
            title=f"矩阵 {code}",
            body="<p>正文</p>",
            must_read=True,
        )
        actions.do_publish_notice(actor=personas[by], notice=published)
        notice[t] = published.pk
        draft[t] = actions.do_create_notice(
            actor=personas[by], org_unit=units[code], title=f"草稿 {code}", body="草稿"
        ).pk
    actions.do_read_notice(actor=personas["worker1"], notice=published)
    guide_actions.do_save_guide(
        actor=personas["branch1"], unit=units["B1"], about="<p>分工会</p>", hotlines="12351"
    )
    data = {
        "personas": personas,
        "unit": {t: units[code].pk for t, (code, _by) in author.items()},
        "notice": notice,
        "draft": draft,
    }

    def ids(persona: str, target) -> dict:
        if target in TARGETS:
            return {key: data[key][target] for key in ("unit", "notice", "draft")}
        return {}

    return World(
        data=data, ids=ids, fingerprint=notices_fingerprint, clients=make_clients(personas)
    )


def notices_fingerprint() -> tuple:
    from zhijia.core.models import Attachment
    from zhijia.notices.models import (
        Notice,
        NoticeAudience,
        NoticeRead,
        NoticeReminder,
        ServiceGuide,
    )

    return fingerprint(Notice, NoticeAudience, NoticeRead, NoticeReminder, ServiceGuide, Attachment)
