"""Writes of the congress desk on session day: "all present except" at the roll call, and
opening an item's vote as a hall (paper) vote when the present representatives cannot all
vote online. Each runs in one transaction and writes its audit event."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.congress.actions import agenda as actions_agenda
from zhijia.congress.actions.sessions import BadInput, StateError, _locked_session, _sync
from zhijia.congress.models import AgendaItem, Attendance, Representative, Session
from zhijia.congress.queries import sessions as q
from zhijia.core.audit import record
from zhijia.core.permissions import require
from zhijia.voting.models import Poll


@transaction.atomic
def do_mark_all_present_except(
    *, actor, session: Session, except_ids: Iterable[int] = ()
) -> list[int]:
    """Roll call in one step: every active representative of the session's term who has not
    checked in yet is marked present (method 点名), except the representatives `except_ids`.

    Only while the session is in check-in. Idempotent: those already present stay present
    (however they checked in, even when they are among the exceptions) and a second run
    marks nobody. Returns the ids of the representatives it marked present."""
    caller, session = session, _locked_session(session)
    require(actor, q.RUN, unit=session.term.unit)
    if session.state != Session.State.CHECKIN:
        raise StateError(_("只有签到中的会议可以一键点名"))
    excluded = {int(pk) for pk in except_ids}
    reps = Representative.objects.filter(term=session.term, active=True)
    unknown = excluded - set(reps.filter(pk__in=excluded).values_list("pk", flat=True))
    if unknown:
        raise BadInput(
            _("勾选的代表不是本届有效的职工代表，请刷新页面后重试"),
            {"absent": _("勾选的代表不是本届有效的职工代表，请刷新页面后重试")},
        )
    present = Attendance.objects.filter(session=session).values("representative_id")
    to_mark = list(
        reps.exclude(pk__in=present)
        .exclude(pk__in=excluded)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                representative_id=pk,
                method=Attendance.Method.ROLL_CALL,
                checked_in_at=now,
                recorded_by=actor,
            )
            for pk in to_mark
        ],
        ignore_conflicts=True,  # a representative who scanned in at this very moment
    )
    record(
        actor=actor,
        action="congress.mark_all_present_except",
        target=session,
        unit=session.term.unit,
        data={"marked": to_mark, "except": sorted(excluded)},
    )
    _sync(caller, session)
    return to_mark


@transaction.atomic
def do_open_item_vote_on_paper(*, actor, item: AgendaItem) -> Poll:
    """Switch an item not voted yet to a hall (paper) vote and open it: the choice offered
    when present representatives cannot vote online."""
    item = (
        AgendaItem.objects.select_for_update().select_related("session__term__unit").get(pk=item.pk)
    )
    require(actor, q.RUN, unit=item.session.term.unit)
    if item.poll_id is not None:
        raise StateError(_("该议程已经表决过"))
    if item.kind == AgendaItem.Kind.REPORT:
        raise StateError(_("报告事项不需要表决"))
    if not item.is_paper:
        item.is_paper = True
        item.save(update_fields=["is_paper"])
        record(
            actor=actor,
            action="congress.switch_item_to_paper",
            target=item,
            unit=item.session.term.unit,
            data={"title": item.title},
        )
    return actions_agenda.do_open_item_vote(actor=actor, item=item)
