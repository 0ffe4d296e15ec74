"""Writes of the rationalisation suggestions, each in one transaction with its audit event
(the workflow's steps write theirs through core.workflow); notifications through the outbox
(zhijia.core.notify), sent by the worker after the commit. The author is told of every
decision: sent to scoring, adopted, rejected (with the reason), implemented, benefit
certified, rewarded.

An action that writes before its transition calls `precheck` first (403 before 409, the row
locked), so a refused step writes nothing. Scores lock the suggestion's row, so two experts
saving at once both count and the score is computed from both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.core import attachments, satisfaction_index, search
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import holders, require
from zhijia.core.workflow import do_transition, precheck, start
from zhijia.services import suggestion_rules as rules
from zhijia.services.actions.common import text_field
from zhijia.services.models import (
    Suggestion,
    SuggestionCriterion,
    SuggestionExpert,
    SuggestionMilestone,
    SuggestionRewardTier,
    SuggestionScore,
)
from zhijia.services.permissions import (
    CERTIFY_SUGGESTION_BENEFIT,
    MANAGE_SUGGESTIONS,
    REVIEW_SUGGESTION,
)
from zhijia.services.queries import suggestions as queries
from zhijia.services.workflows import RATABLE_STATES, SUGGESTION, SUGGESTION_MILESTONE

SATISFACTION_SERVICE = "services.suggestion"
ATTACHMENT_KINDS = {"image", "pdf", "office", "text"}
MAX_ATTACHMENTS = 5
MAX_COAUTHORS = 20
MAX_EXPERTS = 10
MAX_BENEFIT = Decimal("1000000000")

__all__ = [
    "SuggestionError",
    "do_add_suggestion_milestone",
    "do_adopt_suggestion",
    "do_appoint_suggestion_experts",
    "do_attach_suggestion_files",
    "do_certify_suggestion_benefit",
    "do_complete_suggestion_milestone",
    "do_implement_suggestion",
    "do_rate_suggestion",
    "do_reject_suggestion",
    "do_review_suggestion",
    "do_reward_suggestion",
    "do_score_suggestion",
    "do_set_suggestion_config",
    "do_submit_suggestion",
    "escalate_milestone",
    "escalate_suggestion",
]


class SuggestionError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused): message, field, status."""


_AMOUNT_LABELS = {
    "min_benefit": gettext_lazy("最低认定效益"),
    "min_score": gettext_lazy("最低得分"),
}


def rule_message(exc: rules.RuleError) -> str:
    """The user's sentence for a refusal of suggestion_rules."""
    p = exc.params
    what = _AMOUNT_LABELS.get(str(p.get("what", "")), gettext_lazy("金额"))
    messages = {
        "not_a_number": lambda: _("%(what)s应为数字：%(text)s") % {"what": what, "text": p["text"]},
        "amount_range": lambda: (
            _("%(what)s应在 0 到 %(n)s 之间") % {"what": what, "n": rules.MAX_AMOUNT}
        ),
        "no_criteria": lambda: _("请至少设置一项评分标准"),
        "too_many_criteria": lambda: _("评分标准最多 %(n)s 项") % {"n": p["n"]},
        "name_length": lambda: _("名称应为 1 到 20 个字"),
        "duplicate_name": lambda: _("名称不能重复"),
        "weight_range": lambda: _("每项权重应在 1 到 100 之间"),
        "weight_total": lambda: _("各项权重之和应为 100（现为 %(n)s）") % {"n": p["total"]},
        "criterion_line": lambda: _("每行应为“名称 权重”：%(text)s") % {"text": p["text"]},
        "tier_line": lambda: (
            _("每行应为“名称 最低认定效益 最低得分 奖金”：%(text)s") % {"text": p["text"]}
        ),
        "score_range": lambda: _("最低得分应在 0 到 %(n)s 之间") % {"n": p["n"]},
        "no_tiers": lambda: _("请至少设置一个奖励等级"),
        "too_many_tiers": lambda: _("奖励等级最多 %(n)s 个") % {"n": p["n"]},
        "mark_range": lambda: _("分数应为 0 到 %(n)s 的整数") % {"n": p["n"]},
    }
    return str(messages.get(exc.code, lambda: _("输入有误"))())


def _text(value: str, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    return text_field(value, field, label, max_length, required=required, error=SuggestionError)


def _url(suggestion: Suggestion) -> str:
    return reverse("services:suggestions-detail", args=[suggestion.pk])


def _tell_author(suggestion: Suggestion, kind: str, title: str, body: str) -> None:
    notify(
        recipients=[suggestion.author, *suggestion.coauthors.all()],
        kind=f"services.suggestion_{kind}",
        title=title,
        body=body,
        url=_url(suggestion),
        unit=suggestion.org_unit,
    )


def _cadres(suggestion: Suggestion) -> list:
    return holders(MANAGE_SUGGESTIONS, suggestion.org_unit, nearest=True)


def _reviewers(suggestion: Suggestion) -> list:
    return holders(REVIEW_SUGGESTION, department=suggestion.department, include_global=False)


# --- submitting ---------------------------------------------------------------------------------


@transaction.atomic
def do_submit_suggestion(
    *,
    actor,
    title: str,
    category: str,
    problem: str,
    proposal: str,
    department,
    expected_benefit: str = "",
    team_name: str = "",
    coauthors: Iterable = (),
    files: Sequence = (),
) -> Suggestion:
    """A member submits a suggestion, alone or for a team (a team name and co-authors among
    the members); the department's handlers are told."""
    if not queries.is_member(actor):
        raise PermissionDenied
    title = _text(title, "title", _("标题"), 100)
    if category not in Suggestion.Category.values:
        raise SuggestionError(_("请选择类别"), field="category")
    problem = _text(problem, "problem", _("存在的问题"), 5000)
    proposal = _text(proposal, "proposal", _("建议内容"), 5000)
    expected_benefit = _text(
        expected_benefit, "expected_benefit", _("预期效益"), 2000, required=False
    )
    team_name = _text(team_name, "team_name", _("团队名称"), 100, required=False)
    if department is None or department.is_closed:
        raise SuggestionError(_("请选择涉及部门"), field="department_id")
    others = []
    for user in coauthors:
        if user.pk != actor.pk and user not in others:
            others.append(user)
    if len(others) > MAX_COAUTHORS:
        raise SuggestionError(
            _("共同提出人最多 %(n)d 人") % {"n": MAX_COAUTHORS}, field="coauthors"
        )
    if others and not team_name:
        raise SuggestionError(_("团队提出的建议请填写团队名称"), field="team_name")
    if len(files) > MAX_ATTACHMENTS:
        raise SuggestionError(_("附件最多 %(n)d 个") % {"n": MAX_ATTACHMENTS}, field="attachments")
    now = timezone.now()
    suggestion = Suggestion.objects.create(
        title=title,
        category=category,
        problem=problem,
        proposal=proposal,
        expected_benefit=expected_benefit,
        org_unit=actor.member_record.org_unit,
        department=department,
        author=actor,
        team_name=team_name,
        submitted_at=now,
        year=timezone.localtime(now).year,
    )
    suggestion.coauthors.set(others)
    _save_files(actor, suggestion, files)
    start(SUGGESTION, suggestion, actor=actor)
    search.index(
        queries.SEARCH_TYPE,
        suggestion.pk,
        title=title,
        text="\n".join([problem, proposal, expected_benefit]),
        unit_path=suggestion.org_unit.path,
    )
    record(
        actor=actor,
        action="services.submit_suggestion",
        target=suggestion,
        unit=suggestion.org_unit,
        data={
            "category": category,
            "department": department.pk,
            "coauthors": [u.pk for u in others],
        },
    )
    notify(
        recipients=_reviewers(suggestion),
        kind="services.suggestion_to_review",
        title=_("有一条合理化建议待部门审查"),
        body=_("“%(title)s”（%(department)s）") % {"title": title, "department": department.name},
        url=_url(suggestion),
        unit=suggestion.org_unit,
    )
    return suggestion


def _save_files(actor, suggestion: Suggestion, files: Sequence) -> None:
    for upload in files:
        try:
            attachments.save_upload(
                upload,
                actor=actor,
                allowed=ATTACHMENT_KINDS,
                owner=suggestion,
                unit_path=suggestion.org_unit.path,
            )
        except ValidationError as exc:
            raise SuggestionError(" ".join(exc.messages), field="attachments") from exc


@transaction.atomic
def do_attach_suggestion_files(*, actor, suggestion: Suggestion, files: Sequence) -> Suggestion:
    """The author adds files while the department has not reviewed it yet (at most
    MAX_ATTACHMENTS in all)."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.author_id != actor.pk:
        raise PermissionDenied
    if not suggestion.in_state("submitted"):
        raise SuggestionError(_("部门审查后不能再添加附件"), status=409)
    if not files:
        raise SuggestionError(_("请选择文件"), field="attachments")
    if len(queries.attachments_of(suggestion)) + len(files) > MAX_ATTACHMENTS:
        raise SuggestionError(_("附件最多 %(n)d 个") % {"n": MAX_ATTACHMENTS}, field="attachments")
    _save_files(actor, suggestion, files)
    record(
        actor=actor,
        action="services.attach_suggestion_files",
        target=suggestion,
        unit=suggestion.org_unit,
        data={"files": len(files)},
    )
    return suggestion


# --- department review, experts, decision ---------------------------------------------------------


@transaction.atomic
def do_review_suggestion(*, actor, suggestion: Suggestion, note: str = "") -> Suggestion:
    """The department's handler sends the suggestion to expert scoring (with an opinion); the
    unit's criteria are copied onto it, so a later change of the criteria does not move it."""
    checked = precheck(SUGGESTION, suggestion, "review", actor)
    note = _text(note, "note", _("部门意见"), 2000, required=False)
    suggestion.review_note = note
    suggestion.criteria = [
        {"name": c.name, "weight": c.weight} for c in queries.criteria_for(suggestion.org_unit)
    ]
    suggestion.save(update_fields=["review_note", "criteria"])
    do_transition(SUGGESTION, suggestion, "review", actor=actor, note=note, prechecked=checked)
    _tell_author(
        suggestion,
        "reviewed",
        _("您的合理化建议已进入专家评审"),
        _("“%(title)s”已通过部门审查，进入专家评审。") % {"title": suggestion.title},
    )
    notify(
        recipients=_cadres(suggestion),
        kind="services.suggestion_to_score",
        title=_("有一条合理化建议待指定评审专家"),
        body=suggestion.title,
        url=_url(suggestion),
        unit=suggestion.org_unit,
    )
    return suggestion


@transaction.atomic
def do_reject_suggestion(*, actor, suggestion: Suggestion, reason: str = "") -> Suggestion:
    """Not adopted, never without a reason (told to the author)."""
    checked = precheck(SUGGESTION, suggestion, "reject", actor)
    reason = _text(reason, "reason", _("不予采纳的理由"), 2000, required=False)
    if not reason:
        raise SuggestionError(_("请填写不予采纳的理由"), field="reason")
    suggestion.decision_reason = reason
    suggestion.save(update_fields=["decision_reason"])
    do_transition(SUGGESTION, suggestion, "reject", actor=actor, note=reason, prechecked=checked)
    _tell_author(
        suggestion,
        "rejected",
        _("您的合理化建议未被采纳"),
        _("“%(title)s”未被采纳，理由：%(reason)s") % {"title": suggestion.title, "reason": reason},
    )
    return suggestion


@transaction.atomic
def do_appoint_suggestion_experts(
    *, actor, suggestion: Suggestion, experts: Iterable
) -> list[SuggestionExpert]:
    """A cadre appoints experts to score the suggestion (while it is being scored); an expert
    appointed before stays. The experts are told."""
    require(actor, MANAGE_SUGGESTIONS, unit=suggestion.org_unit)
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not suggestion.in_state("scoring"):
        raise SuggestionError(_("只有专家评审中的建议可以指定专家"), status=409)
    chosen = []
    for user in experts:
        if user not in chosen:
            chosen.append(user)
    if not chosen:
        raise SuggestionError(_("请至少指定一位专家"), field="experts")
    if suggestion.author_id in {u.pk for u in chosen}:
        raise SuggestionError(_("提出人不能评审自己的建议"), field="experts")
    existing = set(suggestion.experts.values_list("expert_id", flat=True))
    if len(existing | {u.pk for u in chosen}) > MAX_EXPERTS:
        raise SuggestionError(_("评审专家最多 %(n)d 位") % {"n": MAX_EXPERTS}, field="experts")
    now = timezone.now()
    added = [
        SuggestionExpert.objects.create(
            suggestion=suggestion, expert=user, appointed_by=actor, appointed_at=now
        )
        for user in chosen
        if user.pk not in existing
    ]
    record(
        actor=actor,
        action="services.appoint_suggestion_experts",
        target=suggestion,
        unit=suggestion.org_unit,
        data={"experts": [a.expert_id for a in added]},
    )
    notify(
        recipients=[a.expert for a in added],
        kind="services.suggestion_expert",
        title=_("请评审一条合理化建议"),
        body=suggestion.title,
        url=_url(suggestion),
        unit=suggestion.org_unit,
    )
    return added


@transaction.atomic
def do_score_suggestion(
    *, actor, suggestion: Suggestion, marks: Mapping[str, object], comment: str = ""
) -> Suggestion:
    """An appointed expert marks every criterion 0–100 (again, until the decision); the
    suggestion's score is recomputed from every complete expert."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    appointment = SuggestionExpert.objects.filter(suggestion=suggestion, expert=actor).first()
    if appointment is None:
        raise PermissionDenied
    if not suggestion.in_state("scoring"):
        raise SuggestionError(_("评审已结束，不能再打分"), status=409)
    criteria = queries.criteria_of(suggestion)
    errors = {}
    values: dict[str, int] = {}
    for c in criteria:
        try:
            values[c.name] = rules.check_mark(marks.get(c.name))
        except rules.RuleError as exc:
            errors[f"marks.{c.name}"] = rule_message(exc)
    unknown = set(marks) - {c.name for c in criteria}
    if unknown:
        errors["marks"] = _("没有这些评分项：%(names)s") % {"names": "、".join(sorted(unknown))}
    if errors:
        raise SuggestionError(_("请为每一项打 0 到 100 分"), errors=errors)
    comment = _text(comment, "comment", _("评审意见"), 2000, required=False)
    for name, value in values.items():
        SuggestionScore.objects.update_or_create(
            suggestion=suggestion, expert=actor, criterion=name, defaults={"value": value}
        )
    appointment.comment = comment
    appointment.scored_at = timezone.now()
    appointment.save(update_fields=["comment", "scored_at"])
    suggestion.score = rules.suggestion_score(criteria, queries.marks_by_expert(suggestion))
    suggestion.save(update_fields=["score"])
    record(
        actor=actor,
        action="services.score_suggestion",
        target=suggestion,
        unit=suggestion.org_unit,
        data={"marks": values, "score": str(suggestion.score)},
    )
    return suggestion


@transaction.atomic
def do_adopt_suggestion(
    *, actor, suggestion: Suggestion, finance_department=None, note: str = ""
) -> Suggestion:
    """A cadre adopts the scored suggestion and names the finance department that will
    certify its benefit; the author is told."""
    checked = precheck(SUGGESTION, suggestion, "adopt", actor)
    suggestion.refresh_from_db(fields=["score"])  # the score as the experts left it
    if finance_department is None or finance_department.is_closed:
        raise SuggestionError(_("请选择效益认定部门"), field="finance_department_id")
    note = _text(note, "note", _("采纳意见"), 2000, required=False)
    suggestion.finance_department = finance_department
    suggestion.decision_reason = note
    suggestion.save(update_fields=["finance_department", "decision_reason"])
    do_transition(
        SUGGESTION,
        suggestion,
        "adopt",
        actor=actor,
        note=note,
        prechecked=checked,
        data={"score": str(suggestion.score), "finance_department": finance_department.pk},
    )
    _tell_author(
        suggestion,
        "adopted",
        _("您的合理化建议已被采纳"),
        _("“%(title)s”已被采纳（评审得分 %(score)s），将进入实施。")
        % {"title": suggestion.title, "score": suggestion.score},
    )
    return suggestion


# --- implementation -----------------------------------------------------------------------------


def _may_track(actor, suggestion: Suggestion) -> bool:
    return queries.manages(actor, suggestion) or queries.reviews(actor, suggestion)


@transaction.atomic
def do_add_suggestion_milestone(
    *, actor, suggestion: Suggestion, title: str, workdays: int | None
) -> SuggestionMilestone:
    """A milestone of the implementation, due `workdays` working days from now."""
    if not _may_track(actor, suggestion):
        raise PermissionDenied
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not suggestion.in_state("adopted"):
        raise SuggestionError(_("只有已采纳、实施中的建议可以添加实施节点"), status=409)
    title = _text(title, "title", _("节点"), 100)
    if workdays is None or not 1 <= workdays <= 250:
        raise SuggestionError(_("期限应在 1 到 250 个工作日之间"), field="workdays")
    milestone = SuggestionMilestone.objects.create(
        suggestion=suggestion, title=title, workdays=workdays, created_by=actor
    )
    start(SUGGESTION_MILESTONE, milestone, actor=actor)
    record(
        actor=actor,
        action="services.add_suggestion_milestone",
        target=milestone,
        unit=suggestion.org_unit,
        data={"suggestion": suggestion.pk, "workdays": workdays},
    )
    return milestone


@transaction.atomic
def do_complete_suggestion_milestone(
    *, actor, milestone: SuggestionMilestone, note: str = ""
) -> SuggestionMilestone:
    note = _text(note, "note", _("完成情况"), 300, required=False)
    checked = precheck(SUGGESTION_MILESTONE, milestone, "complete", actor)
    milestone.done_note = note
    milestone.save(update_fields=["done_note"])
    do_transition(
        SUGGESTION_MILESTONE, milestone, "complete", actor=actor, note=note, prechecked=checked
    )
    return milestone


@transaction.atomic
def do_implement_suggestion(*, actor, suggestion: Suggestion, note: str = "") -> Suggestion:
    """The implementation is done (every milestone done): the finance department is asked to
    certify the benefit."""
    note = _text(note, "note", _("实施情况"), 2000, required=False)
    do_transition(SUGGESTION, suggestion, "implement", actor=actor, note=note)
    _tell_author(
        suggestion,
        "implemented",
        _("您的合理化建议已实施"),
        _("“%(title)s”已实施完成，等待经济效益认定。") % {"title": suggestion.title},
    )
    if suggestion.finance_department is not None:
        notify(
            recipients=holders(
                CERTIFY_SUGGESTION_BENEFIT,
                department=suggestion.finance_department,
                include_global=False,
            ),
            kind="services.suggestion_to_certify",
            title=_("有一条合理化建议待认定经济效益"),
            body=suggestion.title,
            url=_url(suggestion),
            unit=suggestion.org_unit,
        )
    return suggestion


def _benefit(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        raise SuggestionError(_("请填写认定的经济效益（元）"), field="benefit") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_BENEFIT:
        raise SuggestionError(
            _("经济效益应在 0 到 %(n)s 元之间") % {"n": MAX_BENEFIT}, field="benefit"
        )
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def do_certify_suggestion_benefit(
    *, actor, suggestion: Suggestion, benefit=None, note: str = ""
) -> Suggestion:
    """The finance department's handler certifies the economic benefit (yuan per year)."""
    checked = precheck(SUGGESTION, suggestion, "certify", actor)
    if benefit is None or benefit == "":
        raise SuggestionError(_("请填写认定的经济效益（元）"), field="benefit")
    amount = _benefit(benefit)
    note = _text(note, "note", _("认定说明"), 2000, required=False)
    suggestion.certified_benefit = amount
    suggestion.certified_note = note
    suggestion.save(update_fields=["certified_benefit", "certified_note"])
    do_transition(
        SUGGESTION,
        suggestion,
        "certify",
        actor=actor,
        note=note,
        prechecked=checked,
        data={"benefit": str(amount)},
    )
    _tell_author(
        suggestion,
        "certified",
        _("您的合理化建议经济效益已认定"),
        _("“%(title)s”认定经济效益 %(amount)s 元。")
        % {"title": suggestion.title, "amount": amount},
    )
    notify(
        recipients=_cadres(suggestion),
        kind="services.suggestion_to_reward",
        title=_("有一条合理化建议待评定奖励"),
        body=suggestion.title,
        url=_url(suggestion),
        unit=suggestion.org_unit,
    )
    return suggestion


@transaction.atomic
def do_reward_suggestion(*, actor, suggestion: Suggestion, note: str = "") -> Suggestion:
    """The reward by the unit's tiers (from the certified benefit and the score), recorded;
    the suggestion closes."""
    checked = precheck(SUGGESTION, suggestion, "reward", actor)
    suggestion.refresh_from_db(fields=["score", "certified_benefit"])
    note = _text(note, "note", _("说明"), 2000, required=False)
    tier = rules.tier_for(
        suggestion.certified_benefit or Decimal("0"),
        suggestion.score,
        queries.tiers_for(suggestion.org_unit),
    )
    suggestion.reward_tier = tier.name if tier else ""
    suggestion.reward_amount = tier.amount if tier else Decimal("0")
    suggestion.save(update_fields=["reward_tier", "reward_amount"])
    do_transition(
        SUGGESTION,
        suggestion,
        "reward",
        actor=actor,
        note=note,
        prechecked=checked,
        data={"tier": suggestion.reward_tier, "amount": str(suggestion.reward_amount)},
    )
    record(
        actor=actor,
        action="services.reward_suggestion",
        target=suggestion,
        unit=suggestion.org_unit,
        data={
            "tier": suggestion.reward_tier,
            "amount": str(suggestion.reward_amount),
            "benefit": str(suggestion.certified_benefit),
            "score": str(suggestion.score),
        },
    )
    if tier:
        body = _("“%(title)s”获评%(tier)s，奖金 %(amount)s 元。") % {
            "title": suggestion.title,
            "tier": tier.name,
            "amount": tier.amount,
        }
    else:
        body = _("“%(title)s”已办结，未达到奖励标准。") % {"title": suggestion.title}
    _tell_author(suggestion, "rewarded", _("您的合理化建议已办结"), body)
    return suggestion


# --- the author's rating --------------------------------------------------------------------------


@transaction.atomic
def do_rate_suggestion(*, actor, suggestion: Suggestion, rating: str) -> Suggestion:
    """The author rates the handling once, when it is closed or rejected."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.author_id != actor.pk:
        raise PermissionDenied
    if not suggestion.in_state(*RATABLE_STATES):
        raise SuggestionError(_("办结或不予采纳后才能评价"), status=409)
    if suggestion.rated_at is not None:
        raise SuggestionError(_("您已评价过"), status=409)
    satisfaction_index.record_rating(
        service=SATISFACTION_SERVICE,
        rating=rating,
        unit=suggestion.org_unit,
        record_id=suggestion.pk,
        label=suggestion.title,
        url=_url(suggestion),
        follow_up=True,
    )
    suggestion.rating = rating
    suggestion.rated_at = timezone.now()
    suggestion.save(update_fields=["rating", "rated_at"])
    record(
        actor=actor,
        action="services.rate_suggestion",
        target=suggestion,
        unit=suggestion.org_unit,
        data={"rating": rating},
    )
    return suggestion


# --- configuration --------------------------------------------------------------------------------


@transaction.atomic
def do_set_suggestion_config(
    *,
    actor,
    org_unit,
    criteria: Sequence[rules.Criterion],
    tiers: Sequence[rules.Tier],
) -> None:
    """A cadre sets the unit's scoring criteria and reward tiers (replacing the unit's own;
    units below without their own follow them). Suggestions already in scoring keep the
    criteria they were given."""
    require(actor, MANAGE_SUGGESTIONS, unit=org_unit)
    errors = {}
    try:
        rules.check_criteria(criteria)
    except rules.RuleError as exc:
        errors["criteria"] = rule_message(exc)
    try:
        rules.check_tiers(tiers)
    except rules.RuleError as exc:
        errors["tiers"] = rule_message(exc)
    if errors:
        raise SuggestionError(next(iter(errors.values())), errors=errors)
    parsed_criteria, parsed_tiers = list(criteria), list(tiers)
    SuggestionCriterion.objects.filter(org_unit=org_unit).delete()
    SuggestionRewardTier.objects.filter(org_unit=org_unit).delete()
    SuggestionCriterion.objects.bulk_create(
        SuggestionCriterion(org_unit=org_unit, name=c.name, weight=c.weight, position=i)
        for i, c in enumerate(parsed_criteria)
    )
    SuggestionRewardTier.objects.bulk_create(
        SuggestionRewardTier(
            org_unit=org_unit,
            name=t.name,
            min_benefit=t.min_benefit,
            min_score=t.min_score,
            amount=t.amount,
            position=i,
        )
        for i, t in enumerate(parsed_tiers)
    )
    record(
        actor=actor,
        action="services.set_suggestion_config",
        target=org_unit,
        unit=org_unit,
        data={
            "criteria": [[c.name, c.weight] for c in parsed_criteria],
            "tiers": [
                [t.name, str(t.min_benefit), str(t.min_score), str(t.amount)] for t in parsed_tiers
            ],
        },
    )


# --- escalations (run by the sweep, inside its transaction) ---------------------------------------


def escalate_suggestion(suggestion: Suggestion, event) -> None:
    """The department review is late: the unit's cadres are told."""
    notify(
        recipients=_cadres(suggestion),
        kind="services.suggestion_review_late",
        title=_("合理化建议部门审查超期"),
        body=_("“%(title)s”（%(department)s）已超过审查期限")
        % {"title": suggestion.title, "department": suggestion.department.name},
        url=_url(suggestion),
        unit=suggestion.org_unit,
    )


def escalate_milestone(milestone: SuggestionMilestone, event) -> None:
    """A milestone is overdue: the cadres and the department's handlers are told."""
    suggestion = milestone.suggestion
    notify(
        recipients=[*_cadres(suggestion), *_reviewers(suggestion)],
        kind="services.suggestion_milestone_late",
        title=_("合理化建议实施节点超期"),
        body=_("“%(title)s”的实施节点“%(milestone)s”已超期")
        % {"title": suggestion.title, "milestone": milestone.title},
        url=_url(suggestion),
        unit=suggestion.org_unit,
    )
