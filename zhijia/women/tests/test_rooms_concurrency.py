"""Eight women press 预约 at once for the last two seats of a slot, with real threads and their
own connections against committed data (transactional_db): the room's row lock serialises them,
so exactly two are booked, on seats 1 and 2, and six are refused as full."""

from __future__ import annotations

import datetime as dt
import threading

from django.db import connection
from django.utils import timezone

from zhijia.women.actions import rooms as actions
from zhijia.women.models import RoomBooking
from zhijia.women.tests.support import make_woman, unit


def test_the_last_seats_go_to_two_of_eight_at_once(transactional_db, personas):
    room = actions.do_create_nursing_room(
        actor=personas["branch1"], org_unit=unit("B1"), name="妈咪小屋", place="二楼", seats=2
    )
    women = [make_woman(f"rush{i}", "B1-G2", name=f"妈妈{i}") for i in range(8)]
    day, starts = timezone.localdate() + dt.timedelta(days=2), dt.time(9, 30)
    barrier = threading.Barrier(len(women))
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(user):
        barrier.wait()
        try:
            actions.do_book_room(actor=user, room=room, day=day, starts=starts)
            outcome = "ok"
        except actions.RoomError as exc:
            outcome = f"refused {exc.status}"
        except Exception as exc:  # reported, so a failure shows what went wrong
            outcome = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=book, args=(u,)) for u in women]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "threads hung"
    assert sorted(outcomes) == ["ok", "ok"] + ["refused 409"] * 6
    seats = RoomBooking.objects.filter(room=room, status="booked").values_list("seat", flat=True)
    assert sorted(seats) == [1, 2]
