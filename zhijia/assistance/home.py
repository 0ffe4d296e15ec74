"""Member-home to-dos of module assistance (see zhijia.core.home)."""

from zhijia.assistance.queries import applications as queries_applications
from zhijia.core.home import Todo


def todos(user):
    for item in queries_applications.member_home_items(user):
        yield Todo(item["label"], item["url"], item["detail"], urgent=item["urgent"])


# --- work queues (zhijia.core.queues) ------------------------------------------------------------


def queues(user):
    """Applications to review (初审), to publish, under notice to approve; files due for their
    yearly review. Read through the module's queries: only the user's scope is counted."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from zhijia.assistance import permissions as perms
    from zhijia.assistance.queries import registry as queries_registry
    from zhijia.core.permissions import has_perm, withheld_for_two_factor
    from zhijia.core.queues import Queue, summarize

    def application_url(pk) -> str:
        return reverse("assistance:application-detail", args=[pk])

    def applications(state: str):
        return queries_applications.list_applications_for_user(
            user, queries_applications.ApplicationFilters(state=state)
        )

    lst = reverse("assistance:application-list")
    if withheld_for_two_factor(user, perms.VIEW_HARDSHIP):
        # A hardship reviewer signed in with her password only: one thing to do first.
        yield Queue(
            key="assistance.two_factor",
            label=_("启用两步验证"),
            count=1,
            url=reverse("accounts:two-factor-setup"),
            order=29,
            note=_("困难职工档案和帮扶申请只对用两步验证登录的工会干部开放"),
        )
        return
    if not has_perm(user, perms.VIEW_HARDSHIP):
        return
    if has_perm(user, perms.REVIEW_APPLICATION):
        yield summarize(
            applications("submitted"),
            key="assistance.to_review",
            label=_("待初审的帮扶申请"),
            url=lst + "?state=submitted",
            item_url=application_url,
            since_field="submitted_at",
            order=30,
        )
    if has_perm(user, perms.MANAGE_NOTICE):
        yield summarize(
            applications("reviewed"),
            key="assistance.to_publish",
            label=_("待公示的帮扶申请"),
            url=lst + "?state=reviewed",
            item_url=application_url,
            order=31,
        )
    if has_perm(user, perms.APPROVE_APPLICATION):
        yield summarize(
            applications("notice"),
            key="assistance.to_approve",
            label=_("公示中待审批的帮扶申请"),
            url=lst + "?state=notice",
            item_url=application_url,
            order=32,
        )
    if has_perm(user, perms.MANAGE_HARDSHIP):
        yield summarize(
            queries_registry.files_due_for_review(user),
            key="assistance.files_due",
            label=_("待复核的困难职工档案"),
            url=reverse("assistance:file-list") + "?status=active&due=on",
            item_url=lambda pk: reverse("assistance:file-detail", args=[pk]),
            since_field="next_review_on",
            deadline_field="next_review_on",
            deadline_is_date=True,
            order=33,
        )


# --- the service entrance on the worker's phone (zhijia.core.entrances) ---------------------------


def _has_member_record(user) -> bool:
    # Applying needs a member record; the page lists the member's applications and open campaigns.
    from zhijia.org.queries.members import own_member

    return own_member(user) is not None


def entrances():
    from django.utils.translation import gettext_lazy as _

    from zhijia.core.entrances import Entrance

    return [
        Entrance(
            "assistance.apply", _("帮扶申请"), "assistance:mine", "hands", _has_member_record, 50
        )
    ]
