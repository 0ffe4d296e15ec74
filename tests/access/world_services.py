"""The world of tests/access/test_services.py (counseling), built once per module.

Targets of the desk's records: "own" is counselor1's, "other" another counselor's
(counselor2, a counselor who is not a persona). Each has an individual slot with a booking
(worker1 books counselor1's, worker2 counselor2's) and a note; counselor1 also has a group
slot open for booking. worker2 has asked an anonymous question; its receipt code is kept.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from tests.access.framework import World, fingerprint, make_clients

OWN_OTHER = ("own", "other")


def build_world() -> World:
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.services.actions import counseling as actions
    from zhijia.services.tests.counseling_support import make_counselor, publish

    cache.clear()
    ensure_demo_structure()
    personas = ensure_demo_accounts()
    counselor = {"own": personas["counselor1"], "other": make_counselor()}
    worker = {"own": personas["worker1"], "other": personas["worker2"]}
    slot, booking, note = {}, {}, {}
    for index, t in enumerate(OWN_OTHER):
        slot[t] = publish(counselor[t], hours_ahead=30 + 10 * index)
        booking[t] = actions.do_book_counseling(actor=worker[t], slot=slot[t])
        note[t] = actions.do_write_counseling_note(
            actor=counselor[t], booking=booking[t], body="保密内容"
        )
    group = publish(counselor["own"], hours_ahead=60, kind="group", capacity=50)
    question, code = actions.do_ask_counseling_question(
        actor=personas["worker2"], topic="sleep", body="睡不着"
    )
    start = timezone.now() + dt.timedelta(days=9)
    data = {
        "personas": personas,
        "slot": {t: s.pk for t, s in slot.items()},
        "booking": {t: b.pk for t, b in booking.items()},
        "note": {t: n.pk for t, n in note.items()},
        "group": group.pk,
        "question": question.pk,
        "code": code,
        "new_slot": {
            "kind": "individual",
            "mode": "online",
            "online_info": "会议号 1",
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
        },
    }
    cache.clear()

    def ids(persona: str, target) -> dict:
        values = {"group": data["group"], "question": data["question"]}
        if target in OWN_OTHER:
            values.update({key: data[key][target] for key in ("slot", "booking", "note")})
        return values

    return World(
        data=data, ids=ids, fingerprint=services_fingerprint, clients=make_clients(personas)
    )


def services_fingerprint() -> tuple:
    from zhijia.services.models import (
        CounselingBooking,
        CounselingMessage,
        CounselingNote,
        CounselingQuestion,
        CounselingSlot,
    )

    return fingerprint(
        CounselingSlot, CounselingBooking, CounselingNote, CounselingQuestion, CounselingMessage
    )
