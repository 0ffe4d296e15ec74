"""Member-home to-dos of module congress (see zhijia.core.home)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from zhijia.congress.queries import proposals as queries_proposals
from zhijia.core.home import Todo


def todos(user):
    invited = queries_proposals.cosign_requests(user).count()
    if invited:
        yield Todo(
            _("提案附议"),
            reverse("congress:proposal-cosign-requests"),
            _("%(n)d 件提案邀请您附议") % {"n": invited},
        )


# --- work queues (zhijia.core.queues) ------------------------------------------------------------


def queues(user):
    """Proposals to review (立案审查), proposals my department must answer, rectification items
    of the inspections my department must rectify, milestones of the resolutions my department
    carries out (决议落实), the tracked items of reception days still to finish and the hearing
    comments still to answer (民主参与渠道)."""
    from zhijia.congress.models import HearingComment
    from zhijia.congress.permissions import (
        ANSWER_PROPOSAL,
        MANAGE_CHANNELS,
        RECTIFY_INSPECTION,
        REPORT_FOLLOWUP,
        REVIEW_PROPOSAL,
    )
    from zhijia.congress.queries import channels as queries_channels
    from zhijia.congress.queries import followup as queries_followup
    from zhijia.congress.queries import inspections as queries_inspections
    from zhijia.core.permissions import has_perm
    from zhijia.core.queues import summarize

    def proposal_url(pk) -> str:
        return reverse("congress:proposal-detail", args=[pk])

    if has_perm(user, REVIEW_PROPOSAL):
        yield summarize(
            queries_proposals.queue(user, queries_proposals.QueueFilters(state="submitted")),
            key="congress.to_review",
            label=_("待审查的提案"),
            url=reverse("congress:proposal-queue") + "?state=submitted",
            item_url=proposal_url,
            order=60,
        )
    if has_perm(user, ANSWER_PROPOSAL):
        yield summarize(
            queries_proposals.department_proposals(user, to_answer=True),
            key="congress.to_answer",
            label=_("本部门待答复的提案"),
            url=reverse("congress:proposal-department") + "?state=open",
            item_url=proposal_url,
            order=61,
        )
    if has_perm(user, RECTIFY_INSPECTION):
        yield summarize(
            queries_inspections.items_for(user, state="open"),
            key="congress.rectification",
            label=_("待整改的巡视问题"),
            url=reverse("congress:rectification-list") + "?state=open",
            item_url=lambda pk: reverse("congress:rectification-detail", args=[pk]),
            order=62,
        )
    if has_perm(user, REPORT_FOLLOWUP):
        yield summarize(
            queries_followup.open_milestones_for(user),
            key="congress.followup",
            label=_("本部门待落实的决议节点"),
            url=reverse("congress:followup-list") + "?mine=1",
            order=63,
        )
    if has_perm(user, MANAGE_CHANNELS):
        yield summarize(
            queries_channels.items_waiting(user),
            key="congress.reception_items",
            label=_("待办结的领导接待日事项"),
            url=reverse("congress:reception-items"),
            order=64,
        )

        def hearing_url(pk) -> str:
            comment = HearingComment.objects.only("hearing_id").get(pk=pk)
            return reverse("congress:hearing-detail", args=[comment.hearing_id])

        yield summarize(
            queries_channels.unanswered_comments(user),
            key="congress.hearing_comments",
            label=_("待答复的听证意见"),
            url=reverse("congress:hearing-list"),
            item_url=hearing_url,
            since_field="created_at",
            deadline_field=None,
            order=65,
        )
        yield summarize(
            queries_channels.missing_reports(user),
            key="congress.sitin_reports",
            label=_("未交列席报告的职工代表"),
            url=reverse("congress:sitin-list"),
            since_field="sitin__held_on",
            deadline_field=None,
            order=66,
        )


# --- the representative's congress-day card on the member home (zhijia.core.home, GREETING) -----


def day_panel(request):
    """On the day of a session of one of the user's terms: check-in, the votes open to the
    representative now, and the way to the session page and to the proposal tracker."""
    from django.utils import timezone

    from zhijia.congress.models import Session
    from zhijia.congress.permissions import SUBMIT_PROPOSAL
    from zhijia.congress.queries import sessions as queries_sessions
    from zhijia.core.home import Panel
    from zhijia.core.permissions import has_perm
    from zhijia.voting import queries as voting_queries

    user = request.user
    today = (
        queries_sessions.my_sessions(user)
        .filter(date=timezone.localdate())
        .exclude(state=Session.State.CLOSED)
    )
    for session in today:
        session_, rep = queries_sessions.access_my_session(user, session.pk)  # with the record
        votes = []
        for item in queries_sessions.items_of(session_):
            poll = item.poll
            if poll is None or poll.is_paper or poll.state != poll.State.OPEN:
                continue
            entry = voting_queries.roll_entry(poll, user)
            if entry is not None and not entry.voted:
                votes.append(
                    {"title": item.title, "url": reverse("voting:poll-detail", args=[poll.pk])}
                )
        yield Panel(
            "congress/_day_card.html",
            {
                "session": session_,
                "attendance": queries_sessions.is_checked_in(session_, rep),
                "qr_url": reverse("congress:my-qr", args=[rep.pk]),
                "session_url": reverse("congress:my-session", args=[session_.pk]),
                "votes": votes,
                "tracker_url": reverse("congress:proposal-mine")
                if has_perm(user, SUBMIT_PROPOSAL)
                else None,
            },
            order=200,
        )
