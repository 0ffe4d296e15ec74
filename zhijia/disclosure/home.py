"""Member-home to-dos of module disclosure (see zhijia.core.home)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from zhijia.core.home import Todo
from zhijia.disclosure.queries import items as queries


def todos(user):
    unread = queries.unread_count_for(user)
    if unread:
        yield Todo(
            _("厂务公开"),
            reverse("disclosure:board"),
            _("%(n)d 项公开事项未读") % {"n": unread},
        )


# --- work queues (zhijia.core.queues) ------------------------------------------------------------


def items_due_queue(user, *, day=None):
    """The disclosures the user's publishing scope owes now: each (catalogue entry, unit,
    period) due within the reminder window or past its due date, missed earlier periods
    included. Overdue ones count as overdue; the oldest is the earliest due date (ahead of
    today when nothing is late yet) and links to its publishing form, filled in. Computed from
    the catalogue board, not a query of records: what waits here is a disclosure not yet made."""
    from urllib.parse import urlencode

    from zhijia.core.queues import Queue
    from zhijia.disclosure import rules
    from zhijia.disclosure.permissions import PUBLISH_ITEM
    from zhijia.disclosure.queries import catalogue as queries_catalogue

    board = queries_catalogue.obligations(queries.units_in_scope(user, PUBLISH_ITEM), day=day)
    owed = []  # (due date, late, entry id, unit id, period key)
    for row in board:
        for cell in row.cells:
            ob = cell.obligation
            if ob.status in (rules.OVERDUE, rules.DUE_SOON) and ob.due and ob.period:
                late = ob.status == rules.OVERDUE
                owed.append((ob.due, late, cell.entry.pk, row.unit.pk, ob.period.key))
            owed.extend(
                (rules.due_date(p, cell.entry.offset_days), True, cell.entry.pk, row.unit.pk, p.key)
                for p in ob.missed
            )
    first = min(owed, default=None)
    oldest_url = None
    if first:
        query = urlencode({"entry": first[2], "unit": first[3], "period": first[4]})
        oldest_url = f"{reverse('disclosure:item-publish')}?{query}"
    return Queue(
        key="disclosure.items_due",
        label=_("到期待公开的事项"),
        count=len(owed),
        url=reverse("disclosure:manage-board"),
        overdue=sum(1 for o in owed if o[1]),
        oldest_since=first[0] if first else None,
        oldest_url=oldest_url,
        order=41,
    )


def queues(user):
    """Workers' questions waiting for an answer, on items of the user's answer scope; the
    disclosures due or overdue in the user's publishing scope."""
    from zhijia.core.permissions import has_perm
    from zhijia.core.queues import summarize
    from zhijia.disclosure.permissions import ANSWER_QUESTION, PUBLISH_ITEM
    from zhijia.disclosure.queries import questions as queries_questions

    if has_perm(user, PUBLISH_ITEM):
        yield items_due_queue(user)
    if has_perm(user, ANSWER_QUESTION):
        yield summarize(
            queries_questions.question_queue(user, queries_questions.QuestionFilters("open")),
            key="disclosure.questions",
            label=_("待答复的公开事项提问"),
            url=reverse("disclosure:question-queue"),
            item_url=lambda pk: reverse("disclosure:question-detail", args=[pk]),
            since_field="created_at",
            order=40,
        )


# --- the service entrance on the worker's phone (zhijia.core.entrances) ---------------------------


def _signed_in(user) -> bool:
    # The board shows every signed-in user the items published to them (queries.board_items_for).
    return bool(getattr(user, "is_authenticated", False))


def entrances():
    from django.utils.translation import gettext_lazy

    from zhijia.core.entrances import Entrance

    return [
        Entrance(
            "disclosure.board", gettext_lazy("公开栏"), "disclosure:board", "board", _signed_in, 60
        )
    ]
