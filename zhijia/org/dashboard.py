"""What org declares for the dashboards and reports (zhijia.core.figures): membership and its
changes in the period, dues collected and in arrears. Imported by OrgConfig.ready()."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core import dateranges, figures, searchables
from zhijia.core.figures import Figure, Scope
from zhijia.org.models import DuesRecord, Member, MemberTransfer
from zhijia.org.queries.members import members_visible_to, own_member
from zhijia.org.search import SEARCH_TYPE, member_entry


def _members(scope: Scope):
    """Members on the roll at the end of the period (joined by then, status 在册)."""
    return Member.objects.filter(
        org_unit__path__startswith=scope.unit_path, status=Member.Status.ACTIVE
    ).filter(Q(join_date__isnull=True) | Q(join_date__lte=scope.end))


def members_total(scope: Scope) -> int:
    return _members(scope).count()


def members_by_type(scope: Scope) -> figures.Rows:
    labels = dict(Member.EmploymentType.choices)
    counts = {
        row["employment_type"]: row["n"]
        for row in _members(scope).values("employment_type").order_by().annotate(n=Count("pk"))
    }
    return [(labels[code], counts.get(code, 0)) for code in labels]


def members_joined(scope: Scope) -> int:
    return Member.objects.filter(
        org_unit__path__startswith=scope.unit_path, join_date__range=(scope.start, scope.end)
    ).count()


def members_left(scope: Scope) -> int:
    """Transfers out of the scope's subtree (to another union or out of the union)."""
    return (
        MemberTransfer.objects.filter(
            from_unit__path__startswith=scope.unit_path,
            effective_date__range=(scope.start, scope.end),
        )
        .exclude(to_unit__path__startswith=scope.unit_path)
        .count()
    )


def dues_collected(scope: Scope) -> Decimal:
    lo, hi = scope.bounds()
    total = DuesRecord.objects.filter(
        member__org_unit__path__startswith=scope.unit_path, paid_at__gte=lo, paid_at__lt=hi
    ).aggregate(s=Sum(Coalesce("paid_amount", "amount")))["s"]
    return total or Decimal("0.00")


def dues_arrears(scope: Scope) -> Decimal:
    total = DuesRecord.objects.filter(
        member__org_unit__path__startswith=scope.unit_path,
        month__range=(scope.start, scope.end),
        paid_at__isnull=True,
    ).aggregate(s=Sum("amount"))["s"]
    return total or Decimal("0.00")


def _member_list(scope: Scope) -> str:
    """The members on the roll now (在册): the figure of a period that runs to today."""
    return f"{reverse('org:member-list')}?unit={scope.unit_id}&status={Member.Status.ACTIVE.value}"


def _joined_list(scope: Scope) -> str:
    """The members who joined within the scope's days (whatever their status now)."""
    period = dateranges.query(scope.start, scope.end)
    return f"{reverse('org:member-list')}?unit={scope.unit_id}&{period}"


def _transfers_list(scope: Scope) -> str:
    """The moves out of the scope's subtree effective within its days (as many as counted)."""
    period = dateranges.query(scope.start, scope.end)
    return f"{reverse('org:transfers-out')}?unit={scope.unit_id}&{period}"


def _paid_list(scope: Scope) -> str:
    """The dues paid within the scope's days (the list's total is the figure)."""
    period = dateranges.query(scope.start, scope.end)
    return f"{reverse('org:dues-paid')}?unit={scope.unit_id}&{period}"


def _arrears_list(scope: Scope) -> str:
    """The members owing dues of the months within the scope's days (the list's total is the
    figure)."""
    period = dateranges.query(scope.start, scope.end)
    return f"{reverse('org:arrears')}?unit={scope.unit_id}&{period}"


figures.register(
    Figure(
        key="org.members_total",
        label=_("在册会员"),
        module="org",
        sources=("org.member",),
        compute=members_total,
        unit=_("人"),
        order=10,
        link=_member_list,
        link_perm="org.view_member",
        breakdown=members_by_type,
        chart="bar",
        description=_("期末在册会员，按用工性质"),
    )
)
figures.register(
    Figure(
        key="org.members_joined",
        label=_("本期入会"),
        module="org",
        sources=("org.member",),
        compute=members_joined,
        unit=_("人"),
        order=20,
        link=_joined_list,
        link_perm="org.view_member",
    )
)
figures.register(
    Figure(
        key="org.members_left",
        label=_("本期转出"),
        module="org",
        sources=("org.membertransfer",),
        compute=members_left,
        unit=_("人"),
        order=30,
        link=_transfers_list,
        link_perm="org.view_member",
        description=_("转往本组织以外或转出工会"),
    )
)
figures.register(
    Figure(
        key="org.dues_collected",
        label=_("会费收缴"),
        module="org",
        sources=("org.duesrecord", "org.member"),
        compute=dues_collected,
        unit=_("元"),
        order=40,
        link=_paid_list,
        link_perm="org.manage_dues",
    )
)
figures.register(
    Figure(
        key="org.dues_arrears",
        label=_("欠缴会费"),
        module="org",
        sources=("org.duesrecord", "org.member"),
        compute=dues_arrears,
        unit=_("元"),
        order=50,
        link=_arrears_list,
        link_perm="org.manage_dues",
        description=_("本期各月应缴未缴"),
    )
)


def _own_member_q(user) -> Q | None:
    member = own_member(user)
    return Q(target_id=str(member.pk)) if member is not None else None


def _visible_members(user, ids: list[str]) -> list[int]:
    pks = [int(i) for i in ids if i.isdigit()]
    return list(members_visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))


def _member_entries():
    members = Member.objects.select_related("org_unit").order_by("pk")
    for member in members.iterator(chunk_size=2000):
        yield searchables.Entry(*member_entry(member))


searchables.register(
    searchables.Searchable(
        type=SEARCH_TYPE,
        label=_("会员"),
        module="org",
        permission="org.view_member",
        extra_scope=_own_member_q,
        recheck=_visible_members,
        url=lambda target_id: reverse("org:member-detail", args=[target_id]),
        reindex=_member_entries,
        order=10,
    )
)
