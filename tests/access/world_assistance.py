"""The world of the assistance matrix (tests/access/test_assistance.py), built once for the
module through the real actions.

Per target ("b1": branch 1 and its worker1, "b2": branch 2 and its worker2):
  file, person, expense  a hardship file (opened by the branch chair) with a household member
                         and a rigid expense
  visit                  a planned visit by the branch chair
  sub / rev / ntc        the worker's application in the committee's campaigns, submitted,
                         reviewed by the branch, and under public notice (with an objection
                         `objection` on it)
  fund, entry            the branch's own fund (a branch campaign's) with an income entry;
                         target "u": the committee's campaign fund (the committee's alone)
  run                    a payment run of the branch fund, prepared by the branch chair (the
                         maker), holding the worker's approved application
  pay                    the worker's approved application of a second branch campaign on the
                         same fund, not in a run yet (payable)
Whatever the target: `campaign` (the committee's open campaign), `apply` (a committee campaign
nobody has applied to), the members and units the forms name.
"""

from __future__ import annotations

from django.utils import timezone

from tests.access.framework import World, fingerprint, make_clients
from tests.access.snapshot import table_snapshot


def build_world() -> World:
    from zhijia.assistance.actions import applications as apps
    from zhijia.assistance.actions import ledger, registry, visits
    from zhijia.assistance.models import (
        Application,
        AssistanceConfig,
        Campaign,
        Fund,
        HardshipFile,
        HardshipReview,
        HouseholdMember,
        LedgerEntry,
        Objection,
        PaymentRun,
        PaymentRunItem,
        RigidExpense,
        Visit,
    )
    from zhijia.assistance.tests.support import make_campaign, member_of, to_state
    from zhijia.core.models import Attachment
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import OrgUnit

    ensure_demo_structure()
    p = ensure_demo_accounts()
    chair = p["chair"]
    units = {code: OrgUnit.objects.get(code=code) for code in ("U", "B1", "B2")}
    branch = {"b1": units["B1"], "b2": units["B2"]}
    cadre = {"b1": p["branch1"], "b2": p["branch2"]}
    worker = {"b1": "worker1", "b2": "worker2"}
    today = timezone.localdate()

    campaign = make_campaign(chair)  # the committee's, with 10000 in its fund
    apply_to = make_campaign(chair, name="2026年送温暖（二）", income="0")
    reviewed_in = make_campaign(chair, name="2026年送温暖（三）", income="0")
    notice_in = make_campaign(chair, name="2026年送温暖（四）", income="0")
    ids: dict[str, dict] = {
        k: {}
        for k in (
            "file",
            "person",
            "expense",
            "visit",
            "sub",
            "rev",
            "ntc",
            "objection",
            "fund",
            "entry",
            "run",
            "pay",
            "member",
        )
    }
    ids["fund"]["u"] = campaign.fund_id
    ids["entry"]["u"] = LedgerEntry.objects.filter(fund=campaign.fund).latest("pk").pk
    ids["branch"] = {t: u.pk for t, u in branch.items()}
    for t in ("b1", "b2"):
        member = member_of(p[worker[t]])
        ids["member"][t] = member.pk
        file = registry.do_create_file(actor=cadre[t], member=member, causes=["illness"])
        ids["file"][t] = file.pk
        ids["person"][t] = registry.do_add_household_member(
            actor=cadre[t],
            file=file,
            relation="child",
            age=12,
            monthly_income=0,
            health="healthy",
        ).pk
        ids["expense"][t] = registry.do_add_expense(
            actor=cadre[t], file=file, kind="medical", monthly_amount="800"
        ).pk
        ids["visit"][t] = visits.do_create_visit(
            actor=cadre[t], member=member, kind="festival", planned_on=today
        ).pk
        ids["sub"][t] = to_state("submitted", personas=p, campaign=campaign, worker=worker[t]).pk
        ids["rev"][t] = to_state("reviewed", personas=p, campaign=reviewed_in, worker=worker[t]).pk
        ntc = to_state("notice", personas=p, campaign=notice_in, worker=worker[t])
        ids["ntc"][t] = ntc.pk
        ids["objection"][t] = apps.do_submit_objection(
            actor=p["rep1" if t == "b1" else "branch2"],
            application=ntc,
            text="情况不实",
            anonymous=False,
        ).pk
        # The branch's own fund and campaigns: an approved application in a run (prepared by
        # the branch chair) and one approved but not paid yet.
        own = apps.do_create_campaign(
            actor=cadre[t], org_unit=branch[t], name=f"{t}分工会送温暖", kind="warmth", year=2026
        )
        ledger.do_record_income(
            actor=cadre[t],
            fund=own.fund,
            kind="allocation",
            amount="5000",
            description="分工会经费",
            counterparty="分工会",
        )
        second = apps.do_create_campaign(
            actor=cadre[t],
            org_unit=branch[t],
            fund=own.fund,
            name=f"{t}分工会送温暖（二）",
            kind="warmth",
            year=2026,
        )
        ids["fund"][t] = own.fund_id
        ids["entry"][t] = LedgerEntry.objects.filter(fund=own.fund).latest("pk").pk
        approved = to_state("approved", personas=p, campaign=own, worker=worker[t])
        ids["run"][t] = ledger.do_prepare_payment_run(
            actor=cadre[t], fund=own.fund, applications=[approved]
        ).pk
        ids["pay"][t] = to_state("approved", personas=p, campaign=second, worker=worker[t]).pk
    data = {
        "campaign": campaign.pk,
        "apply": apply_to.pk,
        "U": units["U"].pk,
        "units": {t: u.pk for t, u in branch.items()},
        "m_rep1": member_of(p["rep1"]).pk,
        "m_branch2": member_of(p["branch2"]).pk,
        "today": today.isoformat(),
        "month": today.strftime("%Y-%m"),
        "ids": ids,
    }

    def ids_for(persona, target):
        return {k: v.get(target, 0) for k, v in ids.items()} | data

    models = (
        Campaign,
        Application,
        Objection,
        HardshipFile,
        HouseholdMember,
        RigidExpense,
        HardshipReview,
        Visit,
        Fund,
        LedgerEntry,
        PaymentRun,
        PaymentRunItem,
        AssistanceConfig,
        Attachment,
    )
    return World(
        data=data,
        ids=ids_for,
        fingerprint=lambda: (fingerprint(), table_snapshot(*models)),
        clients=make_clients(p),
    )
