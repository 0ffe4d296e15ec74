"""A round from demand collection to the effective contract, with the Art. 32, 42 and 47
dates computed as written down (calendar days, the last day moved past rest days and holidays)
across the 2026 National Day holiday (1-7 October; Saturday 10 October is worked)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client

from zhijia.bargaining.actions import contracts as contract_actions
from zhijia.bargaining.actions import rounds as round_actions
from zhijia.bargaining.errors import BargainingError
from zhijia.bargaining.models import Contract, Round
from zhijia.bargaining.queries import contracts as contract_queries
from zhijia.bargaining.queries import rounds as round_queries
from zhijia.bargaining.tests.support import (
    EMPLOYER,
    UNION,
    at,
    close_and_decide,
    make_representative,
    new_contract,
    new_round,
    open_encrypted_vote,
)
from zhijia.bargaining.workflows import CONTRACT, ROUND
from zhijia.core.home import todos_for
from zhijia.core.models import Notification
from zhijia.core.workflow_sweep import sweep_overdue, sweep_reminders
from zhijia.voting import actions as voting
from zhijia.voting.tests.encrypted_support import cast

pytestmark = pytest.mark.django_db


def test_round_from_demands_to_effective_contract(personas):
    branch1, worker1, worker2 = personas["branch1"], personas["worker1"], personas["worker2"]
    reps = [personas["rep1"], make_representative("rep_b1_2"), make_representative("rep_b1_3")]
    with time_machine.travel(at(dt.date(2026, 9, 1)), tick=False) as clock:
        round_ = new_round(branch1)
        assert round_.in_state(ROUND.states.collecting)
        assert [t.label for t in todos_for(worker1)].count("集体协商征集意见") == 1
        assert "集体协商征集意见" not in [t.label for t in todos_for(worker2)]
        # demands from the unit's workers, grouped by topic with counts
        round_actions.do_submit_demand(actor=worker1, round=round_, topic="wages", text="涨工资")
        round_actions.do_submit_demand(actor=reps[0], round=round_, topic="wages", text="调薪")
        round_actions.do_submit_demand(actor=worker1, round=round_, topic="rest", text="轮休")
        assert "集体协商征集意见" not in [t.label for t in todos_for(worker1)]
        with pytest.raises(PermissionDenied):  # branch2's worker is not of this unit
            round_actions.do_submit_demand(actor=worker2, round=round_, topic="wages", text="x")
        assert [(t, n) for t, _label, n in round_queries.demand_summary(round_)] == [
            ("wages", 2),
            ("rest", 1),
        ]

        # Art. 32: received 12 Sep, 20th day 2 Oct is a holiday -> due 8 Oct
        clock.move_to(at(dt.date(2026, 9, 12)))
        round_actions.do_send_bargaining_request(
            actor=branch1,
            round=round_,
            request_text="请求开展工资集体协商",
            received_on=dt.date(2026, 9, 12),
        )
        round_.refresh_from_db()
        assert round_.answer_due_on == dt.date(2026, 10, 8)
        assert round_.in_state(ROUND.states.requested)
        assert round_.deadline_at.date() == dt.date(2026, 10, 8)

        clock.move_to(at(dt.date(2026, 9, 14)))
        round_actions.do_record_answer(
            actor=branch1, round=round_, answered_on=dt.date(2026, 9, 14), answer_text="同意协商"
        )
        round_actions.do_set_delegations(
            actor=branch1, round=round_, union=UNION, employer=EMPLOYER
        )
        session = round_actions.do_add_session(
            actor=branch1,
            round=round_,
            held_on=dt.date(2026, 9, 15),
            minutes="双方就工资增长幅度达成一致。",
        )
        round_actions.do_sign_minutes(actor=branch1, session=session, side="union")
        session = round_actions.do_sign_minutes(actor=branch1, session=session, side="employer")
        assert (session.union_signed_by, session.employer_signed_by) == ("张三", "赵总")
        assert session.fully_signed

        # the draft, a second version, the vote of the representatives (Art. 36)
        contract = new_contract(branch1, round_=round_)
        contract_actions.do_new_version(actor=branch1, contract=contract, note="修改增长幅度")
        contract_actions.do_edit_clause(
            actor=branch1,
            contract=contract,
            number=1,
            title="工资增长",
            text="职工月平均工资年增长不低于 6%。",
            measurable=True,
        )
        v1, v2 = contract_queries.versions_of(contract)
        kinds = [c.kind for c in contract_queries.diff(v1, v2)]
        assert kinds == ["changed", "same", "same", "same"]

        clock.move_to(at(dt.date(2026, 9, 18)))
        poll = open_encrypted_vote(branch1, contract, reps)  # online: encrypted, reps as 监票人
        assert sorted(poll.roll.values_list("user_id", flat=True)) == sorted(r.pk for r in reps)
        v2.refresh_from_db()
        assert v2.frozen
        with pytest.raises(BargainingError):  # a frozen version is not edited
            contract_actions.do_add_clause(actor=branch1, contract=contract, title="新", text="新")
        cast(reps[0], poll, ["yes"])
        cast(reps[1], poll, ["yes"])
        cast(reps[2], poll, ["no"])
        outcome = close_and_decide(branch1, contract)
        assert outcome.passed and (outcome.total, outcome.present, outcome.yes) == (3, 3, 2)
        contract.refresh_from_db()
        assert contract.in_state(CONTRACT.states.voted)

        # Art. 42: signed 22 Sep, 10th day 2 Oct is a holiday -> filing due 8 Oct
        clock.move_to(at(dt.date(2026, 9, 22)))
        contract_actions.do_sign_contract(
            actor=branch1,
            contract=contract,
            signed_on=dt.date(2026, 9, 22),
            union_signer="张三",
            employer_signer="赵总",
        )
        contract.refresh_from_db()
        assert contract.filing_due_on == dt.date(2026, 10, 8)
        assert contract.deadline_at.date() == dt.date(2026, 10, 8)

        # Art. 47: received 24 Sep; 15 calendar days (not working days) run through the
        # holiday: 9 Oct is the last day, effective on 10 Oct; the term of 3 years follows
        clock.move_to(at(dt.date(2026, 9, 24)))
        contract_actions.do_file_contract(
            actor=branch1,
            contract=contract,
            bureau="市人力资源和社会保障局",
            bureau_received_on=dt.date(2026, 9, 24),
        )
        contract.refresh_from_db()
        assert contract.objection_until == dt.date(2026, 10, 9)
        assert contract.effective_on == dt.date(2026, 10, 10)
        assert contract.expires_on == dt.date(2029, 10, 9)

        clock.move_to(at(dt.date(2026, 10, 9), hour=23))
        assert contract_actions.daily_sweep() == 0
        clock.move_to(at(dt.date(2026, 10, 10), hour=1))
        assert contract_actions.daily_sweep() == 1
    contract.refresh_from_db()
    round_.refresh_from_db()
    assert contract.in_state(CONTRACT.states.effective) and contract.published_at is not None
    assert round_.in_state(ROUND.states.concluded)
    # Art. 48: every member of the unit is told, and reads it; branch2's worker does not
    assert Notification.objects.filter(user=worker1, kind="bargaining.published").exists()
    assert not Notification.objects.filter(user=worker2, kind="bargaining.published").exists()
    assert contract_queries.access_published_contract(worker1, contract.pk) == contract
    with pytest.raises(Exception) as refused:
        contract_queries.access_published_contract(worker2, contract.pk)
    assert refused.type.__name__ == "Http404"


def test_invalid_delegations_are_refused_citing_article_19(personas):
    round_ = new_round(personas["branch1"])
    four = [*UNION, ("周六", "职工代表", False)]
    with pytest.raises(BargainingError) as refused:
        round_actions.do_set_delegations(
            actor=personas["branch1"], round=round_, union=four, employer=EMPLOYER
        )
    assert "4" in refused.value.message and "3" in refused.value.message
    assert "《集体合同规定》第十九条" in refused.value.message
    eleven = [("首席", "", True)] + [(f"代表{i}", "", False) for i in range(10)]
    with pytest.raises(BargainingError) as refused:
        round_actions.do_set_delegations(
            actor=personas["branch1"], round=round_, union=eleven, employer=eleven
        )
    assert "最多 10 人" in refused.value.message
    assert "《集体合同规定》第十九条" in refused.value.message
    assert not round_.delegates.exists()


def test_vote_without_two_thirds_present_rejects_the_draft(personas):
    branch1 = personas["branch1"]
    reps = [personas["rep1"], make_representative("rep_b1_2"), make_representative("rep_b1_3")]
    contract = new_contract(branch1)
    # An online vote is encrypted: refused unless prepared; a hall vote stays possible.
    with pytest.raises(BargainingError) as refused:
        contract_actions.do_open_contract_vote(actor=branch1, contract=contract)
    assert refused.value.field == "paper" and "加密" in refused.value.message
    poll = open_encrypted_vote(branch1, contract, reps)
    cast(reps[0], poll, ["yes"])
    outcome = close_and_decide(branch1, contract)
    assert not outcome.quorum and not outcome.passed
    contract.refresh_from_db()
    assert contract.in_state(CONTRACT.states.rejected)
    contract_actions.do_revise_contract(actor=branch1, contract=contract, note="再议")
    contract.refresh_from_db()
    assert contract.in_state(CONTRACT.states.draft) and contract.poll_id is None
    assert contract.current_version().number == 2 and not contract.current_version().frozen


def test_a_lapsed_answer_is_escalated(personas, django_capture_on_commit_callbacks):
    branch1 = personas["branch1"]
    with time_machine.travel(at(dt.date(2026, 9, 12)), tick=False) as clock:
        round_ = new_round(branch1)
        round_actions.do_send_bargaining_request(
            actor=branch1, round=round_, request_text="请求协商", received_on=dt.date(2026, 9, 12)
        )
        # reminded once the due day (8 Oct) is within 3 working days: on 27 Sep the next three
        # are 28, 29, 30 Sep; on 28 Sep they are 29, 30 Sep and 8 Oct (after the holiday)
        clock.move_to(at(dt.date(2026, 9, 27)))
        assert sweep_reminders(ROUND) == 0
        clock.move_to(at(dt.date(2026, 9, 28)))
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_reminders(ROUND) == 1
        assert Notification.objects.filter(user=branch1, kind="bargaining.answer_due").exists()
        clock.move_to(at(dt.date(2026, 10, 8), hour=22))
        assert sweep_overdue(ROUND) == 0
        clock.move_to(at(dt.date(2026, 10, 9)))
        assert sweep_overdue(ROUND) == 1
        assert sweep_overdue(ROUND) == 0
    round_ = Round.objects.get(pk=round_.pk)
    assert round_.escalation_level == 1
    told = set(
        Notification.objects.filter(kind="bargaining.answer_lapsed").values_list(
            "user__username", flat=True
        )
    )
    assert {"branch1", "chair"} <= told


def test_contract_term_outside_article_38_is_refused(personas):
    with pytest.raises(BargainingError) as refused:
        new_contract(personas["branch1"], term_years=4)
    assert "《集体合同规定》第三十八条" in refused.value.message
    assert not Contract.objects.exists()


def test_late_filing_is_escalated_and_the_term_ends_with_a_renewal_reminder(personas):
    branch1 = personas["branch1"]
    contract = new_contract(branch1)
    Contract.objects.filter(pk=contract.pk).update(state=CONTRACT.states.voted)
    with time_machine.travel(at(dt.date(2026, 9, 22)), tick=False) as clock:
        contract_actions.do_sign_contract(
            actor=branch1,
            contract=Contract.objects.get(pk=contract.pk),
            signed_on=dt.date(2026, 9, 22),
            union_signer="张三",
            employer_signer="赵总",
        )
        clock.move_to(at(dt.date(2026, 10, 9)))  # filing was due on 8 October (Art. 42)
        assert sweep_overdue(CONTRACT) == 1
        assert Notification.objects.filter(user=branch1, kind="bargaining.filing_overdue").exists()
        contract_actions.do_file_contract(
            actor=branch1,
            contract=Contract.objects.get(pk=contract.pk),
            bureau="人社局",
            bureau_received_on=dt.date(2026, 10, 9),
        )
        contract.refresh_from_db()
        assert contract.effective_on == dt.date(2026, 10, 27)  # 24 Oct is a Saturday
        assert contract.expires_on == dt.date(2029, 10, 26)
        clock.move_to(at(dt.date(2026, 10, 27)))
        assert contract_actions.daily_sweep() == 1
        # Art. 38: from 3 months before the end, the cadres are reminded once
        clock.move_to(at(dt.date(2029, 7, 26)))
        assert contract_actions.daily_sweep() == 0
        clock.move_to(at(dt.date(2029, 7, 27)))
        assert contract_actions.daily_sweep() == 1
        assert contract_actions.daily_sweep() == 0
        assert Notification.objects.filter(user=branch1, kind="bargaining.renewal").count() == 1
        clock.move_to(at(dt.date(2029, 10, 27)))
        assert contract_actions.daily_sweep() == 1
    contract.refresh_from_db()
    assert contract.in_state(CONTRACT.states.expired)


def test_a_published_contract_is_found_by_the_members_of_its_unit(personas):
    branch1 = personas["branch1"]
    contract = new_contract(branch1)
    Contract.objects.filter(pk=contract.pk).update(
        state=CONTRACT.states.filed, effective_on=dt.date(2026, 1, 1)
    )
    contract_actions.take_effect(Contract.objects.get(pk=contract.pk))
    assert contract_queries.search_published(personas["worker1"], "哺乳室") == [contract]
    assert contract_queries.search_published(personas["worker2"], "哺乳室") == []
    assert contract_queries.search_published(personas["chair"], "工资增长") == [contract]
    client = Client()
    client.force_login(personas["worker1"])
    page = client.get("/bargaining/", {"q": "哺乳室"}).content.decode()
    assert "找到 1 份合同" in page and f"/bargaining/contracts/{contract.pk}/" in page


def test_a_paper_vote_of_all_representatives(personas):
    branch1 = personas["branch1"]
    contract = new_contract(branch1)
    poll = contract_actions.do_open_contract_vote(
        actor=branch1, contract=contract, paper=True, total=30
    )
    with pytest.raises(BargainingError):  # the hall's totals first
        contract_actions.do_close_contract_vote(actor=branch1, contract=contract)
    voting.do_enter_paper_result(
        actor=branch1,
        poll=poll,
        counts={"yes": 16, "no": 3, "abstain": 0},
        valid_ballots=19,
        invalid_ballots=1,
    )
    outcome = contract_actions.do_close_contract_vote(actor=branch1, contract=contract)
    assert (outcome.total, outcome.present, outcome.yes) == (30, 20, 16) and outcome.passed


def test_a_members_demands_are_in_her_personal_data(personas):
    from zhijia.core.privacy import personal_data_for

    round_ = new_round(personas["branch1"])
    round_actions.do_submit_demand(
        actor=personas["worker1"], round=round_, topic="women", text="哺乳期弹性上下班"
    )
    sheets = {str(s.title): list(s.rows) for s in personal_data_for(personas["worker1"])}
    rows = sheets["我提交的集体协商意见"]
    assert len(rows) == 1 and "哺乳期弹性上下班" in [str(v) for v in rows[0]]
