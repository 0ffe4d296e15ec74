"""Reads of the congress desk on session day: the roll call with its search, who of the
present representatives can vote online (before an online vote opens), and the live count of
ballots cast against the representatives present while a vote is open.

The live count never carries a choice: it reads the voting module's roll markers (who has
voted), never the ballots.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Q, QuerySet

from zhijia.congress.models import AgendaItem, Attendance, Representative, Session
from zhijia.congress.queries import sessions as q
from zhijia.voting import queries as voting_queries
from zhijia.voting.models import Poll

# The longest search text the roll call accepts (a name or a 工号).
MAX_SEARCH = 40


def search_text(value: object) -> str:
    return " ".join(str(value or "").split())[:MAX_SEARCH]


def roll_call(session: Session, text: str = "") -> QuerySet[Representative]:
    """The roll call list (every active representative with `present`), narrowed to those
    whose name contains `text`, whose 工号 starts with it, or whose name's pinyin starts with
    it (lower case)."""
    reps = q.roll_call_list(session)
    text = search_text(text)
    if text:
        reps = reps.filter(
            Q(member__name__contains=text)
            | Q(member__employee_no__istartswith=text)
            | Q(member__name_pinyin__startswith=text.lower().replace(" ", ""))
        )
    return reps


def absent(session: Session) -> QuerySet[Representative]:
    """Active representatives of the session's term not checked in yet."""
    checked_in = Attendance.objects.filter(session=session).values("representative_id")
    return q.roll_call_list(session).exclude(pk__in=checked_in)


# --- who can vote online ------------------------------------------------------------------------


@dataclass(frozen=True)
class OnlineReadiness:
    """The checked-in voting representatives, split by whether they can vote on their phone:
    the voting roll holds active accounts (voting.actions.do_open_poll), and an account
    whose password was never set (not activated) cannot sign in to vote."""

    present: int
    no_account: int  # no user account linked to the member record
    disabled: int  # an account, switched off (is_active false): not put on the roll
    not_activated: int  # an active account never activated: on the roll, cannot sign in

    @property
    def offline(self) -> int:
        """Present voting representatives who cannot vote online now."""
        return self.no_account + self.disabled + self.not_activated

    @property
    def online(self) -> int:
        return self.present - self.offline


def online_readiness(session: Session) -> OnlineReadiness:
    present = Attendance.objects.filter(
        session=session,
        representative__active=True,
        representative__kind=Representative.Kind.VOTING,
    )
    user = "representative__member__user"
    counts = present.aggregate(
        present=Count("pk"),
        no_account=Count("pk", filter=Q(**{f"{user}__isnull": True})),
        disabled=Count("pk", filter=Q(**{f"{user}__is_active": False})),
        not_activated=Count(
            "pk",
            filter=Q(**{f"{user}__is_active": True})
            & Q(**{f"{user}__password__startswith": UNUSABLE_PASSWORD_PREFIX}),
        ),
    )
    return OnlineReadiness(**{k: v or 0 for k, v in counts.items()})


# --- the live count of an open vote ---------------------------------------------------------------


@dataclass(frozen=True)
class LiveCount:
    """One open vote of the session: how many ballots were cast online, against the
    representatives present when it opened (who take part) and those on its roll (who can
    vote online). Never a choice's tally."""

    item: AgendaItem
    cast: int
    present: int
    roll: int
    paper: bool

    @property
    def waiting(self) -> int:
        """Present representatives whose ballot is not in yet (online roll only)."""
        return max(self.roll - self.cast, 0)


def live_counts(session: Session) -> list[LiveCount]:
    rows = []
    for item in q.items_of(session).filter(poll__state=Poll.State.OPEN):
        poll = item.poll
        assert poll is not None  # filtered on the poll's state
        turnout = voting_queries.turnout(poll)
        rows.append(LiveCount(item, turnout.voted, turnout.eligible, turnout.roll, poll.is_paper))
    return rows
