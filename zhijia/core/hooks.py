"""Where modules meet: the events one module announces for others, and the services a module
provides to those that may not import it. Core knows no module; each side imports this file.

Events
  proposal_handled: congress announces a handled proposal's public result (ProposalResult,
  after the commit, zhijia.congress.hooks builds it); disclosure publishes it on the board.
  Subscribe in the subscriber's AppConfig.ready():

      from zhijia.core.hooks import on_proposal_result

      @on_proposal_result
      def publish(result):                 # result: ProposalResult (below)
          disclosure.actions.do_publish_proposal_result(result)

  or, with Django's signal API, `proposal_handled.connect(receiver)`; receivers are called as
  `receiver(sender=Proposal, result=ProposalResult, **kwargs)`. A failing receiver is logged
  and affects neither the proposal nor the other receivers (send_robust).

  resolutions_reported: congress announces the report on the follow-up of the term's resolutions
  to the next session (ResolutionsReport, public fields only) when the congress office publishes
  it; disclosure publishes it under its catalogue entry 职代会决议及落实情况. Subscribe with
  `on_resolutions_report(callback)`; the same guarantees as proposal_handled.

Services
  The member directory: accounts sits below org (org, like every module, builds on accounts'
  users and roles), yet its activation pages list members and union units. org registers the
  directory (OrgConfig.ready); accounts reads members and units through `directory()`.

  The fund ledger: assistance keeps the one fund ledger (帮扶资金台账); services' donation
  drives book the money they receive there, not in a ledger of their own. assistance registers
  it (AssistanceConfig.ready); services calls `fund_ledger().record_donation(...)`, which runs
  the assistance module's own action (its permission check, its row lock, its audit event).

  The facts of an inspection tour: congress's tour checklist covers five subjects; disclosure,
  safety, cases, bargaining and congress itself each register the facts they know for a unit
  subtree (`register_inspection_facts(subject, provider)` in their AppConfig.ready); congress
  calls `inspection_facts(subject, unit)` and keeps the answer as the tour's snapshot.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.dispatch import Signal

logger = logging.getLogger(__name__)


# --- events: a handled congress proposal ---------------------------------------------------------

# receivers: receiver(sender=Proposal, result=ProposalResult, **kwargs)
proposal_handled = Signal()


@dataclass(frozen=True)
class ProposalResult:
    """The publishable result of a proposal in a final state: public fields only (no proposer,
    co-signers, ratings' comments or department staff names)."""

    proposal_id: int
    session_id: int
    number: str  # 提案号 within its session ("007"), "" if it never had one
    title: str
    category: str  # Proposal.Category value
    category_label: str
    outcome: str  # "closed" | "rejected" | "merged"
    outcome_label: str
    lead_department: str  # name, "" when never assigned
    co_departments: tuple[str, ...]
    answer_summary: str
    rating: str  # Proposal.Rating value, "" unless closed
    rating_label: str
    merged_into_id: int | None
    finished_at: datetime
    unit_path: str  # the congress's org unit, for the board's scope
    url: str  # the proposal's page (permission-checked)


def send_proposal_result(sender, result: ProposalResult) -> None:
    """Call every receiver now (the announcing module defers this until its commit)."""
    for receiver, response in proposal_handled.send_robust(sender=sender, result=result):
        if isinstance(response, Exception):
            logger.error(
                "proposal_handled receiver %r failed for proposal %s",
                receiver,
                result.proposal_id,
                exc_info=response,
            )


def on_proposal_result(callback: Callable[[ProposalResult], None]):
    """Subscribe `callback(result)`; usable as a decorator. Held strongly (no weak ref)."""

    def receiver(sender, result, **kwargs):
        callback(result)

    receiver.__wrapped__ = callback  # type: ignore[attr-defined]  # for introspection
    proposal_handled.connect(
        receiver, weak=False, dispatch_uid=f"on_proposal_result:{id(callback)}"
    )
    return callback


# --- events: the report on the follow-up of resolutions ------------------------------------

# receivers: receiver(sender=<the announcing module's model>, report=ResolutionsReport, **kwargs)
resolutions_reported = Signal()


@dataclass(frozen=True)
class ResolutionsReport:
    """The report on the follow-up of a term's resolutions and adopted proposals to its next
    session (决议落实情况报告): public fields only (no person's name)."""

    session_id: int  # the session the report is made to
    title: str
    body: str  # plain text, one section per resolution or proposal
    resolutions: int  # how many are reported on
    done: int  # how many are fully carried out
    unit_path: str  # the congress's org unit, for the board's scope
    url: str  # the report's page (permission-checked)


def send_resolutions_report(sender, report: ResolutionsReport) -> None:
    """Call every receiver now (the announcing module defers this until its commit)."""
    for receiver, response in resolutions_reported.send_robust(sender=sender, report=report):
        if isinstance(response, Exception):
            logger.error(
                "resolutions_reported receiver %r failed for session %s",
                receiver,
                report.session_id,
                exc_info=response,
            )


def on_resolutions_report(callback: Callable[[ResolutionsReport], None]):
    """Subscribe `callback(report)`; usable as a decorator. Held strongly (no weak ref)."""

    def receiver(sender, report, **kwargs):
        callback(report)

    receiver.__wrapped__ = callback  # type: ignore[attr-defined]  # for introspection
    resolutions_reported.connect(
        receiver, weak=False, dispatch_uid=f"on_resolutions_report:{id(callback)}"
    )
    return callback


# --- services: the member directory --------------------------------------------------------------


class MemberDirectory(Protocol):
    """Members and union units as org keeps them, for the modules below org."""

    def enrolled_members(self, user, code: str) -> QuerySet:
        """在册 members in the units where `user` holds permission `code`."""
        ...

    def is_enrolled(self, member: Any) -> bool:
        """Whether a member record (user.member_record) is 在册."""
        ...

    def unit(self, unit_id: Any) -> Model | None:
        """The union unit with this id (any representation), or None."""
        ...

    def units_visible_to(self, user, code: str) -> list:
        """Open units where `user` holds `code`, in tree order, each with `depth`."""
        ...

    def member_id_of(self, user) -> int | None:
        """The id of the user's own member record, or None."""
        ...


_directory: MemberDirectory | None = None


def register_directory(directory: MemberDirectory) -> None:
    global _directory
    _directory = directory


def directory() -> MemberDirectory:
    if _directory is None:
        raise ImproperlyConfigured("no member directory registered (is zhijia.org installed?)")
    return _directory


# --- services: the fund ledger ------------------------------------------------------------------


@dataclass(frozen=True)
class FundChoice:
    """A fund as another module may name it: its id and a label."""

    id: int
    label: str
    unit_id: int


class FundLedger(Protocol):
    """The assistance fund ledger, for the modules that may not import assistance."""

    def funds_for(self, user) -> list[FundChoice]:
        """Active funds whose ledger `user` may write (income), in a stable order."""
        ...

    def fund(self, fund_id: int) -> FundChoice | None:
        """The fund with this id (active or not), or None."""
        ...

    def may_record(self, user, fund_id: int) -> bool:
        """Whether `user` may book income in this fund's ledger."""
        ...

    def open_fund(self, *, actor, unit, name: str, description: str = "") -> FundChoice:
        """Open a fund of `unit` (the assistance module's own action and permission), e.g. a
        fund dedicated to one donation drive."""
        ...

    def record_donation(
        self,
        *,
        actor,
        fund_id: int,
        amount: Decimal,
        donor_label: str,
        drive_ref: str,
        occurred_on: date,
    ) -> int:
        """Book a received money donation as income of the fund (the ledger's own action:
        permission, row lock, balance, audit) and answer the entry's id. Raises
        PermissionDenied or an ActionRefused as that action does."""
        ...


_fund_ledger: FundLedger | None = None


def register_fund_ledger(ledger: FundLedger) -> None:
    global _fund_ledger
    _fund_ledger = ledger


def fund_ledger() -> FundLedger:
    if _fund_ledger is None:
        raise ImproperlyConfigured("no fund ledger registered (is zhijia.assistance installed?)")
    return _fund_ledger


# --- services: what a backup taken now would reveal -----------------------------------------------
# A module whose records are not yet safe to copy at every moment registers a function that
# returns warnings (plain text, one per concern) for `zhijia backup` to print: voting warns
# while an online poll is open (ballots are stored in clear until issue 11 item 1).

_backup_warnings: list[Callable[[], list[str]]] = []


def register_backup_warning(check: Callable[[], list[str]]) -> None:
    if check not in _backup_warnings:
        _backup_warnings.append(check)


def backup_warnings() -> list[str]:
    found: list[str] = []
    for check in _backup_warnings:
        found.extend(check())
    return found


# --- services: topics of the pre-congress consultation --------------------------------------------
# services provides the topics that members suggested in its consultation surveys (会前征求意见);
# congress, which may not import services, shows them on its agenda page. A provider takes a
# union unit and returns (topic, count, survey title) tuples, most suggested first, for the
# consultations of that unit and the units above it.

ConsultationTopic = tuple[str, int, str]
_consultation_providers: list[Callable[[Any], list[ConsultationTopic]]] = []


def register_consultation_topics(provider: Callable[[Any], list[ConsultationTopic]]) -> None:
    if provider not in _consultation_providers:
        _consultation_providers.append(provider)


def consultation_topics(unit: Any) -> list[ConsultationTopic]:
    """Every provider's topics for `unit` (none registered: an empty list)."""
    found: list[ConsultationTopic] = []
    for provider in _consultation_providers:
        found.extend(provider(unit))
    return found


# --- services: opening a grievance on behalf of the union ---------------------------------------
# cases keeps the grievances (职工诉求, the rights module). bargaining, which may not import cases,
# turns a breached clause of a collective contract into a grievance of the contract's unit:
# cases registers the opener (CasesConfig.ready), which runs cases' own action (its permission
# check, routing, numbering, workflow start and audit event); bargaining calls
# `grievance_opener().open_grievance(...)` inside its own transaction.


@dataclass(frozen=True)
class OpenedGrievance:
    """The grievance an opener created: its id and its page (permission-checked)."""

    id: int
    url: str
    number: str


class GrievanceOpener(Protocol):
    def open_grievance(
        self, *, actor, unit: Any, title: str, text: str, category: str = "contract"
    ) -> OpenedGrievance:
        """Open a grievance for `unit`, raised by `actor` (a union cadre) on behalf of the
        union. `category` is one of cases' categories (wages, working_hours, safety,
        contract, ...). Raises PermissionDenied or an ActionRefused as cases' action does."""
        ...


_grievance_opener: GrievanceOpener | None = None


def register_grievance_opener(opener: GrievanceOpener) -> None:
    global _grievance_opener
    _grievance_opener = opener


def grievance_opener() -> GrievanceOpener:
    if _grievance_opener is None:
        raise ImproperlyConfigured("no grievance opener registered (is zhijia.cases installed?)")
    return _grievance_opener


# --- the legal minimums of women workers' protection ------------------------------------------
#
# women provides the minimums of 女职工劳动保护特别规定 (maternity days, nursing time, from which
# month of pregnancy no night shift, ...), with a province's extra days added when its code is
# given; a collective contract's women's clauses (女职工专项集体合同) are compared against them
# by a module that may not import women. None registered: an empty list.


@dataclass(frozen=True)
class LegalMinimum:
    code: str  # e.g. "maternity_days", "nursing_minutes_per_day", "no_night_shift_from_month"
    label: str
    value: int
    unit: str  # "days", "month", "minutes"
    article: str  # the article of 女职工劳动保护特别规定
    higher_is_better: bool  # False where a smaller promise protects more (the month)

    def met_by(self, promised: int) -> bool:
        """Does a clause promising `promised` (in this minimum's unit) meet it?"""
        return promised >= self.value if self.higher_is_better else promised <= self.value


_legal_minimums: Callable[[str | None], list[LegalMinimum]] | None = None


def register_legal_minimums(provider: Callable[[str | None], list[LegalMinimum]]) -> None:
    global _legal_minimums
    _legal_minimums = provider


def legal_minimums(province_code: str | None = None) -> list[LegalMinimum]:
    """The minimums (with the province's extra days, by its code: "beijing"); [] when no
    module provides them. An unknown province code answers the national minimums."""
    return _legal_minimums(province_code) if _legal_minimums is not None else []


# --- services: the facts an inspection tour starts from ----------------------------------------
#
# A congress inspection tour (代表巡视) covers five subjects (企务公开工作, 安全生产管理,
# 办事进度, 集体合同履行情况, 会议决议的落实情况). Its checklist starts from what zhijia already
# knows about the tour's unit subtree: each module that owns such records registers, in its
# AppConfig.ready(), a provider for a subject (`register_inspection_facts("safety", provider)`);
# congress calls
# `inspection_facts(subject, unit)` when a tour is planned and stores the answer as a snapshot.
# A provider takes the tour's org unit and counts the records of its whole subtree (every unit
# whose path starts with the unit's path), never looking at a user. A failing provider is logged
# and left out; a subject nobody provides answers [].

INSPECTION_SUBJECTS = ("disclosure", "safety", "progress", "contract", "resolutions")


@dataclass(frozen=True)
class InspectionFact:
    """One fact for a tour's checklist: `value` is a number or a short text; `ok` False marks
    something the tour should look at (overdue, open, breached); `url` the list behind it."""

    label: str
    value: int | str
    ok: bool
    url: str = ""


_inspection_providers: dict[str, list[Callable[[Any], list[InspectionFact]]]] = {}


def register_inspection_facts(
    subject: str, provider: Callable[[Any], list[InspectionFact]]
) -> None:
    if subject not in INSPECTION_SUBJECTS:
        raise ImproperlyConfigured(f"unknown inspection subject {subject!r}")
    providers = _inspection_providers.setdefault(subject, [])
    if provider not in providers:
        providers.append(provider)


def inspection_facts(subject: str, unit: Any) -> list[InspectionFact]:
    """Every provider's facts on `subject` for `unit`'s subtree, in registration order."""
    found: list[InspectionFact] = []
    for provider in _inspection_providers.get(subject, []):
        try:
            found.extend(provider(unit))
        except Exception:
            logger.exception("inspection facts provider %r failed for %s", provider, subject)
    return found


# --- the honours registry ------------------------------------------------------------------
# services keeps the honours registry (荣誉档案, subject honours). homes, which may not import
# services, records the 建家 titles (先进职工之家, 职工小家...) awarded to a branch union there:
# services registers the recorder (ServicesConfig.ready), which runs its own do_record_honour
# (permission check, audit event); homes calls `honour_recorder().record_unit_honour(...)`
# inside its own transaction. None registered (services not installed): homes keeps the title
# on its own record only (`has_honour_recorder()`).


@dataclass(frozen=True)
class RecordedHonour:
    """The honour a recorder created: its id and its page (permission-checked)."""

    id: int
    url: str


class HonourRecorder(Protocol):
    def record_unit_honour(
        self,
        *,
        actor,
        unit: Any,
        year: int,
        title: str,
        awarding_body: str,
        source_label: str = "",
        source_url: str = "",
    ) -> RecordedHonour:
        """Record an enterprise-level honour of a union unit (a collective, named by the
        unit). Raises PermissionDenied or an ActionRefused as services' action does."""
        ...


_honour_recorder: HonourRecorder | None = None


def register_honour_recorder(recorder: HonourRecorder) -> None:
    global _honour_recorder
    _honour_recorder = recorder


def has_honour_recorder() -> bool:
    return _honour_recorder is not None


def honour_recorder() -> HonourRecorder:
    if _honour_recorder is None:
        raise ImproperlyConfigured("no honour recorder registered (is zhijia.services installed?)")
    return _honour_recorder
