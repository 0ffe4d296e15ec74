"""Labour-dispute mediation: request, acceptance, sessions and minutes, agreement (printable
and PDF) or failure, and the 15-day rule of 劳动争议调解仲裁法 Art. 14 with the arbitration
notice and the one-year limitation of Art. 27."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from zhijia.cases import rules
from zhijia.cases.actions import mediation as actions
from zhijia.cases.errors import CasesRefused
from zhijia.cases.models import MediationCase
from zhijia.cases.tests.support import at, inbox, sweep
from zhijia.core import workdays
from zhijia.core.workflow import TransitionError, history, sweep_overdue

pytestmark = pytest.mark.django_db

CLAIM = "公司拖欠我 2025 年 11 月至 2026 年 1 月加班工资共 4,800 元，要求补发。"


def request(worker, category="wages") -> MediationCase:
    return actions.do_request_mediation(
        actor=worker, category=category, respondent="示例能源集团有限公司", claim=CLAIM
    )


def _pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for the embedded font's name."""
    import re
    import zlib

    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def notices(user):
    return inbox(user, "cases.arbitration_right")


def test_rules_of_the_fifteen_day_period():
    # The receipt day does not count (民法典 Art. 201): received 2 March, day 15 is 17 March.
    assert rules.mediation_period_end(dt.date(2026, 3, 2)) == dt.date(2026, 3, 17)
    # A 15th day on a rest day moves to the next working day (Art. 203): 21 March 2026 is a
    # Saturday, so the period ends with Monday 23 March.
    assert rules.mediation_deadline_day(dt.date(2026, 3, 6), workdays.is_workday) == dt.date(
        2026, 3, 23
    )


def test_day_15_without_agreement_triggers_the_arbitration_notice(personas, login):
    worker1, mediator1 = personas["worker1"], personas["mediator1"]
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        case = request(worker1)
    case.refresh_from_db()
    assert case.state == "requested" and case.requested_on == dt.date(2026, 3, 2)
    assert case.deadline_at == workdays.end_of_day(dt.date(2026, 3, 17))
    assert inbox(mediator1, "cases.mediation_new")

    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        actions.do_accept_mediation(actor=mediator1, case=case, mediator=mediator1)
        actions.do_record_session(
            actor=mediator1,
            case=case,
            held_at=at(2026, 3, 3, 8, 30),
            place="工会调解室",
            attendees="陈小红；人力资源部 周敏；调解员 孙国平",
            minutes="申请人陈述加班事实；单位称需核对考勤。双方同意一周后再谈。",
        )
    case.refresh_from_db()
    assert case.state == "mediating"
    assert case.deadline_at == workdays.end_of_day(dt.date(2026, 3, 17))  # acceptance keeps it

    # Day 15 is not over yet: no notice.
    with time_machine.travel(at(2026, 3, 17, 23, 0), tick=False):
        sweep()
    assert notices(worker1) == []
    # Day 15 has passed without an agreement: the worker is told, once, in plain words.
    with time_machine.travel(at(2026, 3, 18, 0, 30), tick=False):
        sweep()
        sweep()
    (notice,) = notices(worker1)
    assert notice.title == "您可以申请劳动仲裁"
    for words in ("已满 15 日", "第十四条", "现在就可以", "仲裁委员会申请仲裁", "时效是一年",
                  "第二十七条", "拖欠工资"):  # fmt: skip
        assert words in notice.body, words
    case.refresh_from_db()
    assert case.arbitration_notified_at is not None and case.escalation_level == 1
    assert case.state == "mediating"  # mediation may go on if both sides want it

    # The case page says the same, to the applicant.
    with time_machine.travel(at(2026, 3, 18, 9), tick=False):
        html = login("worker1").get(f"/cases/mediation/{case.pk}/").content.decode()
    assert "您可以申请劳动仲裁" in html and "第二十七条" in html


def test_the_notice_commits_with_the_escalation(personas):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        case = request(personas["worker1"], category="contract")
    with time_machine.travel(at(2026, 3, 18, 1), tick=False):
        # No after-commit step to lose: the notice is written in the escalation's transaction.
        assert sweep_overdue(actions.MEDIATION) == 1
        sweep()  # and the next round sends nothing more
    (notice,) = notices(personas["worker1"])
    assert "拖欠工资" not in notice.body  # a contract dispute: no wage-arrears sentence
    case.refresh_from_db()
    assert case.arbitration_notified_at is not None


def test_agreement_is_printable_and_a_pdf_with_chinese_text(personas, login):
    worker1, mediator1 = personas["worker1"], personas["mediator1"]
    case = request(worker1)
    actions.do_accept_mediation(actor=mediator1, case=case, mediator=mediator1)
    with pytest.raises(TransitionError):
        actions.do_record_agreement(actor=worker1, case=case, text="我自己同意")
    actions.do_add_party(
        actor=mediator1, case=case, side="third", name="劳务派遣公司", representative="王经理"
    )
    actions.do_record_agreement(
        actor=mediator1,
        case=case,
        text="一、被申请人于 2026 年 3 月 31 日前向申请人支付加班工资 4,800 元。",
        performance_deadline=dt.date(2026, 3, 31),
    )
    case.refresh_from_db()
    assert case.state == "agreed" and case.deadline_at is None
    worker = login("worker1")
    printable = worker.get(f"/cases/mediation/{case.pk}/agreement/").content.decode()
    assert (
        "劳动争议调解协议书" in printable
        and "4,800 元" in printable
        and "劳务派遣公司" in printable
    )
    pdf = worker.get(f"/cases/mediation/{case.pk}/agreement.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # A CJK font is embedded (WeasyPrint subsets the font it used).
    assert any(name in _pdf_objects(pdf.content) for name in (b"WenQuanYi", b"Noto", b"CJK"))
    # No notice after an agreement, even when day 15 passes later.
    with time_machine.travel(at(2026, 12, 1), tick=False):
        sweep()
    assert notices(worker1) == []


def test_failure_tells_the_worker_at_once(personas):
    worker1, mediator1 = personas["worker1"], personas["mediator1"]
    case = request(worker1)
    actions.do_accept_mediation(actor=mediator1, case=case, mediator=mediator1)
    with pytest.raises(CasesRefused):
        actions.do_record_failure(actor=mediator1, case=case, reason=" ")
    actions.do_record_failure(actor=mediator1, case=case, reason="单位不同意支付。")
    (notice,) = notices(worker1)
    assert "调解不成" in notice.body and "第十四条" in notice.body
    assert [e.transition for e in history(case)] == ["start", "accept", "fail"]


def test_mediation_api(api_client, personas):
    worker = api_client("worker1")
    made = worker.post(
        "/api/v1/cases/mediations",
        {"category": "wages", "respondent": "示例能源集团有限公司", "claim": CLAIM},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["state"] == "requested"
    case_id = made.json()["id"]
    mediator = api_client("mediator1")
    accepted = mediator.post(
        f"/api/v1/cases/mediations/{case_id}/accept",
        {"mediator_id": personas["mediator1"].pk},
        content_type="application/json",
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "mediating"
    # worker2 and branch2 cannot see it; the worker cannot act as mediator.
    assert api_client("worker2").get(f"/api/v1/cases/mediations/{case_id}").status_code == 404
    assert api_client("branch2").get(f"/api/v1/cases/mediations/{case_id}").status_code == 404
    assert (
        worker.post(
            f"/api/v1/cases/mediations/{case_id}/failure",
            {"reason": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    failed = mediator.post(
        f"/api/v1/cases/mediations/{case_id}/failure",
        {"reason": "单位拒绝"},
        content_type="application/json",
    )
    assert failed.status_code == 200 and failed.json()["arbitration_open"] is True
    assert "第二十七条" in failed.json()["arbitration_notice"]
