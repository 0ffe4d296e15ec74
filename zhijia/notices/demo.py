"""Demo content of module notices (`zhijia seed-demo`, idempotent: a notice is recognised by
its unit and title, a guide by its unit):

  ensure_demo_notices()  a handful of notices and news, one pinned, one must-read of branch 1
                         that half of its audience has read (worker1 not among them)
  ensure_demo_guides()   the service guides of the union committee and of branch 1
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from zhijia.core.errors import ActionRefused
from zhijia.notices.actions import guide as guide_actions
from zhijia.notices.actions import notices as actions
from zhijia.notices.models import NoticeRead
from zhijia.notices.queries import guide as guide_queries
from zhijia.notices.queries import notices as queries
from zhijia.org.models import OrgUnit

logger = logging.getLogger(__name__)

MUST_READ_TITLE = "关于开展2026年度职工安全知识答题活动的通知"

NOTICES = [
    # (unit code, author, kind, title, body, pinned, must_read)
    (
        "U",
        "chair",
        "notice",
        "关于做好年末送温暖走访慰问工作的通知",
        "<p>各分工会：</p><p>为做好年末<strong>送温暖</strong>工作，请各分工会于本月底前摸清困难职工"
        "情况，报工会委员会审核。</p><ol><li>走访对象：在册困难职工、因病因灾致困职工；</li>"
        "<li>慰问标准：按《困难职工帮扶办法》执行；</li><li>报送方式：在系统“困难帮扶”中登记。</li></ol>",
        True,
        False,
    ),
    (
        "U",
        "chair",
        "news",
        "集团工会举办职工篮球联赛",
        "<p>11月，集团工会举办第十届职工篮球联赛，12支代表队、150余名职工参赛。</p>"
        "<blockquote>比赛增进了交流，展示了职工团结拼搏的精神面貌。</blockquote>",
        False,
        False,
    ),
    (
        "U",
        "chair",
        "notice",
        "工会服务热线 12351 服务时间调整",
        "<p>自下月起，12351 职工服务热线服务时间为工作日 8:30–20:00。</p>",
        False,
        False,
    ),
    (
        "B1",
        "branch1",
        "notice",
        MUST_READ_TITLE,
        "<h2>活动安排</h2><p>请第一分工会全体会员于本月 25 日前完成线上答题。</p>"
        "<ul><li>题目：安全生产法规与岗位安全常识，共 20 题；</li>"
        "<li>全部答对者可参加抽奖。</li></ul>",
        False,
        True,
    ),
    (
        "B1",
        "branch1",
        "news",
        "第一分工会开展“安康杯”隐患排查",
        "<p>第一分工会组织群众安全监督员开展隐患排查，发现并整改隐患 8 处。</p>",
        False,
        False,
    ),
]


def ensure_demo_notices() -> int:
    """Create and publish the demo notices that are missing; returns how many were created."""
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["U", "B1"])}
    created = 0
    for code, username, kind, title, body, pinned, must_read in NOTICES:
        unit, actor = units.get(code), users.get(username)
        if unit is None or actor is None or queries.notice_by_title(unit, title) is not None:
            continue
        try:
            notice = actions.do_create_notice(
                actor=actor,
                org_unit=unit,
                title=title,
                body=body,
                kind=kind,
                pinned=pinned,
                must_read=must_read,
            )
            actions.do_publish_notice(actor=actor, notice=notice)
        except (ActionRefused, PermissionDenied) as exc:
            logger.info("demo notice %s skipped: %s", title, exc)
            continue
        created += 1
        if must_read:
            _half_read(notice)
    return created


def _half_read(notice) -> None:
    """Demo readings: every other member of the audience has opened the must-read notice
    (demo members mostly have no account, so the readings are written directly; worker1 is
    left unread so that her home shows it)."""
    members = queries.audience_members(notice).exclude(user__username="worker1").order_by("pk")
    now = timezone.now()
    NoticeRead.objects.bulk_create(
        [NoticeRead(notice=notice, member=m, read_at=now) for m in list(members)[::2]],
        ignore_conflicts=True,
    )


GUIDES = {
    "U": (
        "chair",
        {
            "about": "<p>示例能源集团工会代表和维护职工合法权益，组织职工参与企业民主管理，"
            "开展困难帮扶、文体活动、技能竞赛和心理疏导等服务。</p>",
            "how_to_apply": "<h3>困难帮扶</h3><p>向所在分工会提出申请，填写《困难职工帮扶申请表》，"
            "经分工会审核、公示 5 个工作日后审批发放。</p><h3>法律咨询与维权</h3>"
            "<p>在“诉求”中提交，或拨打 12351 职工服务热线。</p><h3>心理咨询</h3>"
            "<p>在“心理咨询”中预约，咨询内容严格保密。</p>",
            "contact_name": "工会办公室",
            "contact_phone": "010-66668888",
            "contact_email": "",
            "address": "集团总部办公楼 3 层 305 室",
            "office_hours": "工作日 8:30–17:30",
            "hotlines": "12351 职工服务热线\n010-66668899 工会法律援助",
        },
    ),
    "B1": (
        "branch1",
        {
            "about": "<p>第一分工会负责发电部职工的入会、会费、帮扶和文体活动。</p>",
            "how_to_apply": "<p>入会、转会和帮扶申请请到分工会办公室办理，或在系统中在线提交。</p>",
            "contact_name": "李春梅",
            "contact_phone": "010-66661234",
            "contact_email": "",
            "address": "发电部办公楼 1 层 102 室",
            "office_hours": "工作日 9:00–17:00",
            "hotlines": "12351 职工服务热线",
        },
    ),
}


def ensure_demo_guides() -> int:
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    created = 0
    for code, (username, fields) in GUIDES.items():
        unit = OrgUnit.objects.filter(code=code).first()
        actor = users.get(username)
        if unit is None or actor is None or guide_queries.guide_of(unit) is not None:
            continue
        guide_actions.do_save_guide(actor=actor, unit=unit, **fields)
        created += 1
    return created


def seed_demo() -> str:
    """Called by `zhijia seed-demo`."""
    notices = ensure_demo_notices()
    guides = ensure_demo_guides()
    return f"notices: {notices} demo notices, {guides} service guides"
