"""What org tells zhijia.core.privacy: the full 身份证号 read by a cadre is a sensitive read
(recorded by actions.members.do_reveal_id_number), and a person's member record, dues months
and transfers are her data (the 身份证号 masked, as on her page)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.core.privacy import model_sheet, register
from zhijia.org.models import DuesRecord, Member, MemberTransfer
from zhijia.org.queries import dues as queries_dues
from zhijia.org.queries import members as queries

READS = {"org.reveal_id_number": gettext_lazy("完整身份证号")}

MEMBER_FIELDS = [
    "employee_no",
    "name",
    "gender",
    "id_number_masked",
    "phone",
    "org_unit",
    "department",
    "job",
    "employment_type",
    "join_date",
    "status",
    "monthly_wage",
]


def personal_data(user):
    member = queries.own_member(user)
    if member is None:
        return
    yield model_sheet(gettext_lazy("会员档案"), [member], Member, MEMBER_FIELDS)
    yield model_sheet(
        gettext_lazy("会费"),
        queries_dues.dues_of(member),
        DuesRecord,
        ["month", "wage_income", "amount", "paid_at"],
    )
    yield model_sheet(
        gettext_lazy("组织关系转移"),
        member.transfers.order_by("effective_date", "pk"),
        MemberTransfer,
        [
            "effective_date",
            ("from_unit", gettext_lazy("转出单位")),
            ("to_unit", gettext_lazy("转入单位")),
            "reason",
        ],
    )


register(personal_data, reads=READS)
