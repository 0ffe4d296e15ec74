"""Demo data of module congress, for `zhijia seed-demo`: a current term of the demo union with
representatives (rep1 among them) and a session planned for today. Idempotent.

Call after the demo structure, accounts and members exist (`zhijia seed-demo` does those):

    from zhijia.congress.demo import ensure_demo_congress
    ensure_demo_congress(representatives=120)
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.congress.actions import sessions as actions
from zhijia.congress.models import Representative, Session, Term
from zhijia.org.models import Member, OrgUnit


@transaction.atomic
def ensure_demo_congress(representatives: int = 120) -> Session:
    """Term 1 of the demo union (this year and the next four), up to `representatives`
    voting representatives drawn from the in-register members with accounts first, then the
    others (they check in by roll call and vote on paper), and today's session."""
    chair = User.objects.get(username="chair")
    unit = OrgUnit.objects.get(code="U")
    today = timezone.localdate()
    term = Term.objects.filter(unit=unit, number=1).first()
    if term is None:
        term = actions.do_create_term(
            actor=chair,
            unit=unit,
            number=1,
            start_date=dt.date(today.year, 1, 1),
            end_date=dt.date(today.year + 4, 12, 31),
        )
    seated = set(Representative.objects.filter(term=term).values_list("member_id", flat=True))
    wanted = max(representatives - len(seated), 0)
    candidates = (
        Member.objects.filter(status=Member.Status.ACTIVE, org_unit__path__startswith=unit.path)
        .exclude(pk__in=seated)
        .exclude(user__username__in=["chair", "branch1", "branch2", "worker1", "worker2"])
        .select_related("org_unit", "user")
        .order_by(F("user_id").asc(nulls_last=True), "employee_no")  # accounts first
    )
    for i, member in enumerate(candidates[:wanted]):
        actions.do_add_representative(
            actor=chair,
            term=term,
            member=member,
            is_manager=i % 9 == 0,
            is_frontline=i % 9 != 0 and i % 3 != 1,
        )
    session = term.sessions.filter(date=today).first()
    if session is None:
        session = actions.do_schedule_session(
            actor=chair,
            term=term,
            date=today,
            place="职工活动中心大礼堂",
            notify_representatives=False,
        )
    return session


def seed_demo() -> str:
    """Term 1 with 120 representatives (rep1 among them) and a session today. Idempotent."""
    session = ensure_demo_congress(representatives=120)
    return f"congress: term {session.term.number}, session {session.number} on {session.date}"
