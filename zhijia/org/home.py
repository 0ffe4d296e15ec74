"""What org adds to the home pages (registered in OrgConfig.ready, see zhijia.core.home):
the member's greeting line, e-card and records with the dues to-do on the member home; the
member and arrears figures and the link to one's own record on the workspace."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.accounts.models import Role
from zhijia.core.home import Figure, Panel, Todo
from zhijia.core.permissions import has_perm
from zhijia.org import rules
from zhijia.org.actions import cards as actions
from zhijia.org.models import Member
from zhijia.org.queries import cards as queries
from zhijia.org.queries import dues as dues_queries
from zhijia.org.queries import members as org_queries


def greeting_panel(request):
    """Under the member home's greeting: the member's unit, department and job."""
    user = request.user
    yield Panel(
        "org/_greeting_panel.html",
        {
            "member": org_queries.own_member(user),
            "is_representative": Role.REPRESENTATIVE in user.role_codes,
        },
    )


def card_panel(request):
    member = org_queries.own_member(request.user)
    if member is None:
        return
    member_card = actions.ensure_member_card(member)
    face = queries.card_face(request, member, member_card)
    yield Panel(
        "org/_card_panel.html",
        {"face": face, "qr": queries.qr_svg(face.verify_url)},
        order=10,
    )


def records_panel(request):
    """ "我的记录": the member's number, status, joining date and dues (how they are collected:
    "会费由工资代扣，已扣至 2026年11月", or the self-payer's unpaid months)."""
    member = org_queries.own_member(request.user)
    if member is None:
        return
    yield Panel(
        "org/_records_panel.html",
        {
            "member": member,
            "dues_status": dues_queries.member_dues_status(member),
            "latest_dues": dues_queries.dues_of(member).first(),
            "me_url": reverse("org:me"),
            "dues_url": reverse("org:dues-member", args=[member.pk]),
        },
        order=20,
    )


def workspace_panel(request):
    """The workspace's link to one's own member record, for cadres who are members."""
    if org_queries.own_member(request.user) is not None:
        yield Panel("org/_workspace_panel.html", {"me_url": reverse("org:me")}, order=100)


def todos(user):
    """Unpaid dues first (urgent), checking one's record last.

    The dues to-do is there only when the member can act: her dues are self-paid and months
    are unpaid; it says where to pay (the unit's payment note). Dues deducted from the wage
    are not hers to pay: a missing deduction is on the cadres' arrears list (代扣未到账)."""
    member = org_queries.own_member(user)
    if member is None:
        return
    status = dues_queries.member_dues_status(member)
    if status.can_act:
        text = _("有 %(n)d 个月会费未缴，共 ¥%(amount)s") % {
            "n": status.unpaid_months,
            "amount": f"{status.amount_unpaid:.2f}",
        }
        yield Todo(
            _("缴纳会费"),
            reverse("org:dues-member", args=[member.pk]),
            text + "。" + (status.payment_note or _("请向所在工会缴纳")),
            urgent=True,
            order=10,
        )
    yield Todo(
        _("核对我的会员档案"),
        reverse("org:me"),
        _("手机号、部门、岗位有变化请告诉工会"),
        order=1000,
    )


def _previous_month(today: dt.date) -> dt.date:
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def figures(user):
    """The workspace's 在册会员 (capped count), and the arrears until last month by how the
    dues are collected: 欠缴会费会员 (self-payers who owe) and 代扣未到账会员 (deductions that
    have not arrived)."""
    if has_perm(user, "org.view_member"):
        active = org_queries.members_in_scope(user).filter(status=Member.Status.ACTIVE)
        count, exact = org_queries.count_capped(active)
        yield Figure(_("在册会员"), count, exact=exact, url=reverse("org:member-list"), order=10)
    if has_perm(user, "org.manage_dues"):
        until = _previous_month(timezone.localdate())
        arrears = dues_queries.arrears_summary(user, until=until)
        url = reverse("org:arrears")
        owed, missing = arrears["self_pay"], arrears["payroll"]
        yield Figure(
            _("欠缴会费会员"),
            owed["members"],
            detail=_("自缴，截至上月，共 ¥%(total)s") % {"total": f"{owed['total']:,.2f}"},
            url=f"{url}?mode={rules.SELF_PAY}",
            order=20,
        )
        yield Figure(
            _("代扣未到账会员"),
            missing["members"],
            detail=_("工资代扣，截至上月，共 ¥%(total)s") % {"total": f"{missing['total']:,.2f}"},
            url=f"{url}?mode={rules.PAYROLL}",
            order=21,
        )


class _Directory:
    """The member directory of zhijia.core.hooks, for accounts (which may not import org)."""

    def enrolled_members(self, user, code: str):
        return org_queries.members_in_scope(user, code).filter(status=Member.Status.ACTIVE)

    def is_enrolled(self, member) -> bool:
        return member.status == Member.Status.ACTIVE

    def unit(self, unit_id):
        return org_queries.get_unit(unit_id)

    def units_visible_to(self, user, code: str) -> list:
        return org_queries.list_units_visible_to(user, code)

    def member_id_of(self, user) -> int | None:
        member = org_queries.own_member(user)
        return member.pk if member is not None else None


DIRECTORY = _Directory()


# --- work queues (zhijia.core.queues) ------------------------------------------------------------


def queues(user):
    """Online join applications waiting for review in the user's org.review_join scope."""
    from zhijia.core.queues import summarize
    from zhijia.org.queries import joining as joining_queries

    if joining_queries.may_review(user):
        yield summarize(
            joining_queries.list_applications_for_user(user, joining_queries.PENDING),
            key="org.join_review",
            label=_("待审核的入会申请"),
            url=reverse("org:join-review") + "?state=" + joining_queries.PENDING,
            item_url=lambda pk: reverse("org:join-review-detail", args=[pk]),
            since_field="submitted_at",
            order=5,
        )
