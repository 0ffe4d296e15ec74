"""What services adds to the home pages (registered in ServicesConfig.ready, see
zhijia.core.queues): the counselors' work queues, workers' questions waiting for a reply and
the bookings of their coming slots; a member's to-do for a volunteer shift coming within two
days and, on the member home, her volunteer hours of the year.

And its service entrances on the worker's phone (zhijia.core.entrances)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.core.entrances import Entrance
from zhijia.core.home import Panel, Todo
from zhijia.core.queues import summarize
from zhijia.services.models.counseling import CounselingQuestion
from zhijia.services.queries import activities as activity_queries
from zhijia.services.queries import counseling as queries
from zhijia.services.queries import volunteering as queries_volunteering


def activity_todos(user):
    """A place on an activity offered to the member from the waiting list, to confirm."""
    for reg in activity_queries.open_offers(user):
        yield Todo(
            _("有一个活动名额待确认"),
            reverse("services:activities-detail", args=[reg.activity_id]),
            _("“%(title)s”：请在 %(when)s 前确认，逾期顺延给下一位")
            % {
                "title": reg.activity.title,
                "when": timezone.localtime(reg.offer_expires_at).strftime("%m-%d %H:%M"),
            },
            urgent=True,
            order=30,
        )


def queues(user):
    if not queries.is_counselor(user):
        return
    yield summarize(
        queries.questions_for_counselors(user, status=CounselingQuestion.Status.OPEN),
        key="services.questions",
        label=_("待回复的心理咨询提问"),
        url=reverse("services:counseling-desk-questions") + "?status=open",
        item_url=lambda pk: reverse("services:counseling-desk-question", args=[pk]),
        since_field="updated_on",
        deadline_field=None,
        order=70,
    )
    yield summarize(
        queries.upcoming_bookings_for_counselor(user),
        key="services.bookings",
        label=_("即将进行的心理咨询预约"),
        url=reverse("services:counseling-desk"),
        item_url=None,
        since_field="slot__starts_at",
        deadline_field=None,
        order=71,
    )


def volunteering_todos(user):
    """A member's volunteer shift starting within two days (queries.volunteering
    .UPCOMING_DAYS): where and when to be."""
    for signup in queries_volunteering.upcoming_signups(user):
        shift = signup.shift
        yield Todo(
            label=_("志愿服务：%(title)s") % {"title": shift.project.title},
            url=reverse("services:volunteering-project", args=[shift.project_id]),
            detail=_("%(when)s 在 %(place)s")
            % {
                "when": timezone.localtime(shift.starts_at).strftime("%m-%d %H:%M"),
                "place": shift.place,
            },
            order=60,
        )


def volunteering_panel(request):
    """The member home's "今年志愿服务 N 小时", for a member who volunteered this year."""
    user = request.user
    if not queries_volunteering.is_member(user):
        return
    year = timezone.localdate().year
    if not queries_volunteering.signed_up_in(user, year):
        return
    yield Panel(
        "services/volunteering/_home_panel.html",
        {
            "hours": queries_volunteering.yearly_hours(user, year),
            "pending": queries_volunteering.pending_hours(user, year),
            "url": reverse("services:volunteering-mine"),
        },
        order=40,
    )


ENTRANCES = [
    Entrance(
        "services.activities",
        gettext_lazy("活动报名"),
        "services:activities-home",
        "grid",
        queries.is_member,
        35,
    ),
    # Booking and asking are the members' (counselors reach the page from their desk menu).
    Entrance(
        "services.counseling",
        gettext_lazy("心理咨询"),
        "services:counseling-home",
        "heart",
        queries.is_member,
        40,
    ),
    Entrance(
        "services.volunteering",
        gettext_lazy("志愿公益"),
        "services:volunteering-home",
        "hands",
        queries.is_member,
        45,
    ),
    # --- suggestions: submitting and following one's own (合理化建议) ---
    Entrance(
        "services.suggestions",
        gettext_lazy("合理化建议"),
        "services:suggestions-home",
        "idea",
        queries.is_member,
        47,
    ),
    # --- competitions ---
    Entrance(
        "services.competitions",
        gettext_lazy("劳动竞赛"),
        "services:competitions-home",
        "trophy",
        queries.is_member,
        48,
    ),
]


# --- surveys: the member's to-do (zhijia.core.home.register_todos) --------------------------------


def survey_todos(user):
    """One to-do per open survey the member has not answered yet."""
    from zhijia.services.queries import surveys as survey_queries

    for survey in survey_queries.open_unanswered(user)[:SURVEY_TODOS]:
        yield Todo(
            _("填写问卷"),
            reverse("services:survey-answer", args=[survey.pk]),
            survey.title,
            order=60,
        )


SURVEY_TODOS = 5  # the latest few; "我的问卷" lists them all


# --- learning (培训): the member's to-dos and the phone's entrance ------------------------------


def learning_todos(user):
    """An assigned course not completed yet; a session of the member's today or tomorrow."""
    from zhijia.services.queries import learning as learning_queries

    for enrolment in learning_queries.upcoming_sessions(user):
        session = enrolment.session
        if session is None:
            continue
        yield Todo(
            label=_("培训课堂：%(title)s") % {"title": enrolment.course.title},
            url=reverse("services:learning-course", args=[enrolment.course_id]),
            detail=_("%(when)s 在 %(place)s")
            % {
                "when": timezone.localtime(session.starts_at).strftime("%m-%d %H:%M"),
                "place": session.place,
            },
            order=62,
        )
    for enrolment in learning_queries.assigned_open(user)[:LEARNING_TODOS]:
        yield Todo(
            label=_("待学习的培训课程"),
            url=reverse("services:learning-course", args=[enrolment.course_id]),
            detail=enrolment.course.title,
            order=64,
        )


LEARNING_TODOS = 5  # the latest few; 学习培训 lists them all

ENTRANCES.append(
    Entrance(
        "services.learning",
        gettext_lazy("学习培训"),
        "services:learning-home",
        "board",
        queries.is_member,
        46,
    )
)
# --- suggestions (合理化建议): work queues and the author's to-do --------------------------------


def suggestion_queues(user):
    """The department's review, the expert's scoring, the finance department's certification
    and the cadres' decisions (scoring done or not, implementation, reward): one queue per
    role the user holds (an expert: once appointed to any suggestion)."""
    from zhijia.core.permissions import has_perm
    from zhijia.services.models import SuggestionExpert
    from zhijia.services.permissions import (
        CERTIFY_SUGGESTION_BENEFIT,
        MANAGE_SUGGESTIONS,
        REVIEW_SUGGESTION,
    )
    from zhijia.services.queries import suggestions as sq

    def item(pk):
        return reverse("services:suggestions-detail", args=[pk])

    desk = reverse("services:suggestions-desk")
    if has_perm(user, REVIEW_SUGGESTION):
        yield summarize(
            sq.queue_of(user, "review"),
            key="services.suggestions_to_review",
            label=_("待部门审查的合理化建议"),
            url=desk + "?queue=review",
            item_url=item,
            order=80,
        )
    if SuggestionExpert.objects.filter(expert=user).exists():
        yield summarize(
            sq.queue_of(user, "score"),
            key="services.suggestions_to_score",
            label=_("待我评分的合理化建议"),
            url=desk + "?queue=score",
            item_url=item,
            deadline_field=None,
            order=81,
        )
    if has_perm(user, CERTIFY_SUGGESTION_BENEFIT):
        yield summarize(
            sq.queue_of(user, "certify"),
            key="services.suggestions_to_certify",
            label=_("待认定效益的合理化建议"),
            url=desk + "?queue=certify",
            item_url=item,
            deadline_field=None,
            order=82,
        )
    if has_perm(user, MANAGE_SUGGESTIONS):
        yield summarize(
            sq.queue_of(user, "decide"),
            key="services.suggestions_to_decide",
            label=_("待评审决定、实施或奖励的合理化建议"),
            url=desk + "?queue=decide",
            item_url=item,
            deadline_field=None,
            order=83,
        )


def suggestion_todos(user):
    """The author's suggestion, closed or not adopted, waiting for their rating."""
    from zhijia.services.queries import suggestions as sq

    for suggestion in sq.to_rate(user)[:SUGGESTION_TODOS]:
        yield Todo(
            _("评价合理化建议的办理"),
            reverse("services:suggestions-detail", args=[suggestion.pk]),
            suggestion.title,
            order=65,
        )


SUGGESTION_TODOS = 3  # the latest few; "我的建议" lists them all


# --- competitions: the judge's to-do (zhijia.core.home.register_todos) ----------------------------


def competition_todos(user):
    """One to-do per stage scoring now in a competition the user judges."""
    from zhijia.services.queries import competitions as competition_queries

    for stage in competition_queries.judging_todo(user)[:COMPETITION_TODOS]:
        yield Todo(
            _("竞赛评分"),
            reverse("services:competitions-judge-stage", args=[stage.pk]),
            _("“%(title)s” %(stage)s 评分中")
            % {"title": stage.competition.title, "stage": stage.name},
            order=55,
        )


COMPETITION_TODOS = 5  # the latest few; the scoring desk lists them all


# --- honours: the member home's card and the member's record page ------------------------------

HONOURS_ON_PANEL = 3  # the latest few on the home card; 我的荣誉 lists them all


def honours_panel(request):
    """The member home's "我的荣誉" card, for a member holding an honour in force."""
    from zhijia.services.queries import honours as honour_queries

    user = request.user
    if not honour_queries.is_member(user):
        return
    mine = honour_queries.my_honours(user)
    count = mine.count()
    if not count:
        return
    yield Panel(
        "services/honours/_home_panel.html",
        {
            "honours": list(mine[:HONOURS_ON_PANEL]),
            "count": count,
            "url": reverse("services:honours-mine"),
        },
        order=45,
    )


def honours_profile_panel(request, member):
    """The member's honours in force on her record page (honours are public recognition:
    whoever may open her record sees them)."""
    from zhijia.services.queries import honours as honour_queries

    honours = list(honour_queries.honours_of_member(member))
    yield Panel("services/honours/_profile_panel.html", {"honours": honours}, order=50)
