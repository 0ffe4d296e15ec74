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


def queues(user):
    """Workers' questions waiting for an answer, on items of the user's answer scope."""
    from zhijia.core.permissions import has_perm
    from zhijia.core.queues import summarize
    from zhijia.disclosure.permissions import ANSWER_QUESTION
    from zhijia.disclosure.queries import questions as queries_questions

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
