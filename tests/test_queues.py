"""Work queues (我的待办): every persona's queue counts against an independent count.

The records are the access matrices' worlds of every module (built through the real actions,
in branch1 and branch2), built once for this test module. The expected counts are written
here with plain ORM filters on the personas' scopes as DESIGN.md gives them (chair: the
committee's whole tree; branch1 / branch2: their branch; handler1: 人力资源部; mediator1: the
committee; counselor1: every question), not through the modules' queries under test.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from zhijia.core.queues import queues_for

pytestmark = pytest.mark.slow  # run first under xdist (conftest.py)

CADRE_KEYS = {
    "org.join_review",
    "cases.to_handle",
    "cases.box",
    "cases.escalated",
    "assistance.to_review",
    "assistance.to_publish",
    "assistance.to_approve",
    "assistance.files_due",
    "disclosure.questions",
    "disclosure.items_due",
    "safety.to_assign",
    "congress.to_review",
    "congress.reception_items",
    "congress.hearing_comments",
    "congress.sitin_reports",
    "core.follow_ups",
    "services.suggestions_to_decide",
}
CADRE_UNIT = {"chair": "U", "branch1": "B1", "branch2": "B2"}


@pytest.fixture(scope="module")
def world(module_db):
    from tests.access import (
        world_assistance,
        world_cases,
        world_congress,
        world_disclosure,
        world_org,
        world_safety,
        world_satisfaction,
        world_services,
    )
    from zhijia.cases.models import Grievance
    from zhijia.org.demo import ensure_demo_accounts
    from zhijia.org.models import JoinApplication, OrgUnit
    from zhijia.safety.models import HazardReport

    for module in (
        world_org,
        world_cases,
        world_assistance,
        world_congress,
        world_disclosure,
        world_safety,
        world_services,
        world_satisfaction,
    ):
        module.build_world()
    # Some work past its deadline, and a grievance escalated to branch1's level.
    past = timezone.now() - dt.timedelta(days=3)
    b1 = OrgUnit.objects.get(code="B1")
    b2 = OrgUnit.objects.get(code="B2")
    JoinApplication.objects.filter(
        pk=JoinApplication.objects.filter(state="submitted", org_unit__path__startswith=b1.path)
        .values("pk")[:1]
        .get()["pk"]
    ).update(deadline_at=past)
    HazardReport.objects.filter(state="reported", org_unit__path__startswith=b2.path).update(
        deadline_at=past
    )
    escalated = Grievance.objects.filter(state="assigned", handling_unit=b1).first()
    assert escalated is not None
    Grievance.objects.filter(pk=escalated.pk).update(escalation_level=1, deadline_at=past)
    return ensure_demo_accounts()


@pytest.fixture
def personas(world, db):
    return world


def _path(code: str) -> str:
    from zhijia.org.models import Department, OrgUnit

    unit = OrgUnit.objects.filter(code=code).first()
    return unit.path if unit else Department.objects.get(code=code).path


def _pair(qs, late: Q | None = None) -> tuple[int, int]:
    if late is None:
        late = Q(deadline_at__lt=timezone.now())
    return qs.count(), qs.filter(late).count()


def disclosures_owed(path: str, today: dt.date) -> tuple[int, int]:
    """(owed, late): per unit of the subtree and active scheduled catalogue entry of its level,
    the current period due within the reminder window or late, and every missed period."""
    from zhijia.disclosure import rules
    from zhijia.disclosure.models import CatalogueEntry, Item
    from zhijia.org.models import OrgUnit

    owed = late = 0
    for unit in OrgUnit.objects.filter(path__startswith=path):
        for entry in CatalogueEntry.objects.filter(
            active=True, level=rules.level_of_kind(unit.kind)
        ):
            if not rules.is_scheduled(entry.cadence):
                continue
            published = Item.objects.filter(entry=entry, org_unit=unit, status="published")
            ob = rules.obligation(
                cadence=entry.cadence,
                today=today,
                offset_days=entry.offset_days,
                remind_days=entry.remind_days,
                published_keys=frozenset(published.values_list("period_key", flat=True)),
                effective_from=entry.effective_from,
            )
            owed += (ob.status in (rules.OVERDUE, rules.DUE_SOON)) + len(ob.missed)
            late += (ob.status == rules.OVERDUE) + len(ob.missed)
    return owed, late


def expected_for_cadre(unit_code: str) -> dict[str, tuple[int, int]]:
    from zhijia.assistance.models import Application, HardshipFile
    from zhijia.cases.models import Grievance
    from zhijia.congress.models import HearingComment, Proposal, ReceptionItem, SitInSeat
    from zhijia.core.models import RatingFollowUp
    from zhijia.disclosure.models import Question
    from zhijia.org.models import JoinApplication
    from zhijia.safety.models import HazardReport
    from zhijia.services.models import Suggestion

    p = _path(unit_code)
    today = timezone.localdate()
    apps = Application.objects.filter(org_unit__path__startswith=p)
    grievances = Grievance.objects.filter(handling_unit__path__startswith=p)
    return {
        "org.join_review": _pair(
            JoinApplication.objects.filter(state="submitted", org_unit__path__startswith=p)
        ),
        "cases.to_handle": _pair(grievances.filter(state="submitted", is_anonymous=False)),
        "cases.box": _pair(grievances.filter(state="submitted", is_anonymous=True)),
        "cases.escalated": _pair(
            grievances.filter(
                state__in=["submitted", "assigned", "answered"], escalation_level__gt=0
            )
        ),
        "assistance.to_review": _pair(apps.filter(state="submitted")),
        "assistance.to_publish": _pair(apps.filter(state="reviewed")),
        "assistance.to_approve": _pair(apps.filter(state="notice")),
        "assistance.files_due": _pair(
            HardshipFile.objects.filter(
                status="active",
                member__org_unit__path__startswith=p,
                next_review_on__lte=today + dt.timedelta(days=30),
            ),
            Q(next_review_on__lt=today),
        ),
        "disclosure.questions": _pair(
            Question.objects.filter(state__in=["asked", "escalated"], org_unit__path__startswith=p)
        ),
        "disclosure.items_due": disclosures_owed(p, today),
        "safety.to_assign": _pair(
            HazardReport.objects.filter(state="reported", org_unit__path__startswith=p)
        ),
        "core.follow_ups": _pair(
            RatingFollowUp.objects.filter(state="open", unit_path__startswith=p)
        ),
        "congress.to_review": _pair(
            Proposal.objects.filter(state="submitted").filter(
                Q(org_unit__path__startswith=p) | Q(proposer_unit__path__startswith=p)
            )
        ),
        "services.suggestions_to_decide": (
            Suggestion.objects.filter(
                state__in=["scoring", "adopted", "certified"], org_unit__path__startswith=p
            ).count(),
            0,
        ),
        "congress.reception_items": _pair(
            ReceptionItem.objects.filter(state__in=["open", "done"], org_unit__path__startswith=p)
        ),
        "congress.sitin_reports": (
            SitInSeat.objects.filter(
                reported_at__isnull=True,
                sitin__held_on__lt=today,
                sitin__org_unit__path__startswith=p,
            ).count(),
            0,
        ),
        "congress.hearing_comments": (
            HearingComment.objects.filter(
                hearing__state="open",
                answered_at__isnull=True,
                hearing__org_unit__path__startswith=p,
            ).count(),
            0,
        ),
    }


def expected_for_handler(user) -> dict[str, tuple[int, int]]:
    from zhijia.cases.models import Grievance
    from zhijia.congress.models import Milestone, Proposal, RectificationItem
    from zhijia.safety.models import HazardReport
    from zhijia.services.models import Suggestion

    d = _path("D-HR")
    proposals = (
        Proposal.objects.filter(state__in=["handling", "supervised"])
        .filter(Q(lead_department__path__startswith=d) | Q(co_departments__path__startswith=d))
        .distinct()
    )
    return {
        "cases.to_answer": _pair(
            Grievance.objects.filter(state="assigned", department__path__startswith=d)
        ),
        "safety.to_rectify": _pair(
            HazardReport.objects.filter(state__in=["assigned", "rectifying", "reopened"]).filter(
                Q(owner_department__path__startswith=d) | Q(owner_user=user)
            )
        ),
        "congress.to_answer": _pair(proposals),
        "congress.rectification": _pair(
            RectificationItem.objects.filter(state="open", department__path__startswith=d)
        ),
        "congress.followup": _pair(
            Milestone.objects.filter(state="open", department__path__startswith=d)
        ),
        "services.suggestions_to_review": _pair(
            Suggestion.objects.filter(state="submitted", department__path__startswith=d)
        ),
        "services.suggestions_to_certify": (
            Suggestion.objects.filter(
                state="implemented", finance_department__path__startswith=d
            ).count(),
            0,
        ),
    }


def expected_for_mediator() -> dict[str, tuple[int, int]]:
    from zhijia.cases.models import MediationCase

    cases = MediationCase.objects.filter(org_unit__path__startswith=_path("U"))
    return {
        "cases.mediation_requested": _pair(cases.filter(state="requested")),
        "cases.mediating": _pair(cases.filter(state="mediating")),
    }


def expected_for_counselor(user) -> dict[str, tuple[int, int]]:
    from zhijia.services.models.counseling import CounselingBooking, CounselingQuestion

    bookings = CounselingBooking.objects.filter(
        slot__counselor=user, slot__ends_at__gte=timezone.now(), status="booked"
    )
    return {
        "services.questions": (CounselingQuestion.objects.filter(status="open").count(), 0),
        "services.bookings": (bookings.count(), 0),
    }


def expected_for_supervisor(user) -> dict[str, tuple[int, int]]:
    from zhijia.safety.models import HazardReport, SafetySupervisor

    paths = list(
        SafetySupervisor.objects.filter(member__user=user, ended_on__isnull=True).values_list(
            "org_unit__path", flat=True
        )
    )
    q = Q(reporter=user)
    for path in paths:
        q |= Q(org_unit__path__startswith=path)
    fixed = HazardReport.objects.filter(q, state="fixed").exclude(fixed_by=user)
    return {"safety.to_verify": _pair(fixed)} if paths else {}


def expected(name: str, user) -> dict[str, tuple[int, int]]:
    if name in CADRE_UNIT:
        return expected_for_cadre(CADRE_UNIT[name])
    return {
        "handler1": lambda: expected_for_handler(user),
        "mediator1": expected_for_mediator,
        "counselor1": lambda: expected_for_counselor(user),
        "rep1": lambda: expected_for_supervisor(user),
    }.get(name, dict)()


def counts(queues) -> dict[str, tuple[int, int]]:
    return {q.key: (q.count, q.overdue) for q in queues}


@pytest.mark.parametrize(
    "name", ["chair", "branch1", "branch2", "handler1", "mediator1", "counselor1", "rep1"]
)
def test_every_queue_count_equals_an_independent_count(personas, name):
    user = personas[name]
    got = counts(queues_for(user))
    want = expected(name, user)
    assert got == want
    assert any(n for n, _late in got.values()), f"{name} has work in the seeded world"


def test_cadres_have_every_cadre_queue_and_members_none(personas):
    for name in CADRE_UNIT:
        assert {q.key for q in queues_for(personas[name])} == CADRE_KEYS
    for name in ("worker1", "worker2", "admin"):
        assert queues_for(personas[name]) == [], name


def test_the_sibling_branch_is_never_counted(personas):
    b1, b2 = expected_for_cadre("B1"), expected_for_cadre("B2")
    both = expected_for_cadre("U")
    # The seeded world has branch2 work in these queues: branch1 must not see any of it.
    for key in (
        "org.join_review",
        "cases.to_handle",
        "assistance.to_review",
        "disclosure.questions",
        "safety.to_assign",
        "congress.to_review",
    ):
        assert b2[key][0] >= 1, key
        got = counts(queues_for(personas["branch1"]))[key]
        assert got == b1[key], key
        assert got[0] + b2[key][0] <= both[key][0], key
    assert counts(queues_for(personas["branch1"]))["cases.to_handle"] == (0, 0)


def test_overdue_queues_come_first_then_the_oldest(personas):
    queues = [q for q in queues_for(personas["branch1"]) if q.count]
    assert queues[0].overdue, "overdue work leads"
    late = [q for q in queues if q.overdue]
    # Disclosures are late or not by today's date against the catalogue's schedule.
    disclosures_late = disclosures_owed(_path("B1"), timezone.localdate())[1] > 0
    assert {q.key for q in late} == {"org.join_review", "cases.escalated"} | (
        {"disclosure.items_due"} if disclosures_late else set()
    )
    rest = queues[len(late) :]
    assert not any(q.overdue for q in rest)
    days = [q.oldest_date for q in rest]
    assert days == sorted(days)
    empty = [q for q in queues_for(personas["branch1"]) if not q.count]
    assert all(q.oldest_url is None and q.oldest_since is None for q in empty)
    # branch2's overdue hazard is branch2's, and comes before its work that is not late.
    queues2 = queues_for(personas["branch2"])
    keys2 = [q.key for q in queues2]
    hazards = queues2[keys2.index("safety.to_assign")]
    assert hazards.overdue == hazards.count >= 1
    assert all(q.overdue for q in queues2[: keys2.index("safety.to_assign")])


@pytest.mark.parametrize("name", ["branch1", "chair", "handler1", "mediator1", "counselor1"])
def test_each_queue_opens_its_list_and_its_oldest_record(login, personas, name):
    client = login(name)
    for q in queues_for(personas[name]):
        assert client.get(q.url).status_code == 200, q.url
        if q.oldest_url:
            assert client.get(q.oldest_url).status_code == 200, q.oldest_url


def test_the_workspace_leads_with_my_work(login, personas):
    html = login("branch1").get("/").content.decode()
    assert "我的待办" in html
    start = html.index("data-queues")
    assert start < html.index("在册会员"), "the figures move below the queues"
    for q in queues_for(personas["branch1"]):
        if q.count:
            assert f'data-queue="{q.key}"' in html
            assert q.label in html and q.url.replace("&", "&amp;") in html
        else:
            assert f'data-queue="{q.key}"' not in html, "empty queues are not listed"
    first = html.index('data-queue="', start)
    leading = queues_for(personas["branch1"])[0]
    assert leading.overdue, "late work leads"
    assert html[first:].startswith(f'data-queue="{leading.key}"')
    assert "项超期" in html


def test_other_workspaces_show_their_queues(login, personas):
    for name in ("handler1", "mediator1", "counselor1"):
        html = login(name).get("/").content.decode()
        assert "我的待办" in html, name
        for q in queues_for(personas[name]):
            if q.count:
                assert f'data-queue="{q.key}"' in html, (name, q.key)


def test_a_member_home_has_no_queues(login):
    html = login("worker1").get("/").content.decode()
    assert "我的待办" not in html and "data-queue" not in html


def test_the_api_answers_the_same_queues(api_client, personas):
    for name in ("branch1", "handler1", "counselor1"):
        body = api_client(name).get("/api/v1/org/me/queues").json()
        queues = queues_for(personas[name])
        assert [(q["key"], q["count"], q["overdue"]) for q in body["queues"]] == [
            (q.key, q.count, q.overdue) for q in queues
        ]
        assert body["total"] == sum(q.count for q in queues)
        assert body["overdue"] == sum(q.overdue for q in queues)
        for q in body["queues"]:
            assert q["url"].startswith("/") and q["label"]
            assert (q["oldest_on"] is None) == (q["count"] == 0)
    body = api_client("worker1").get("/api/v1/org/me/queues").json()
    assert body == {"total": 0, "overdue": 0, "queues": []}


def test_the_api_refuses_the_anonymous(client, world):
    assert client.get("/api/v1/org/me/queues").status_code == 401
