"""Pages of collective contracts: the worker's (the contracts in force over their unit, Art.
48) and the cadre's desk (versions and clauses, the diff, the PDF, the vote, signing and
filing). Thin: parse, call one query or action, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhijia.bargaining import exports, rules
from zhijia.bargaining.actions import contracts as actions
from zhijia.bargaining.actions.common import cite
from zhijia.bargaining.forms.contracts import (
    ClauseEditForm,
    ClauseForm,
    ContractForm,
    VersionForm,
    VoteForm,
)
from zhijia.bargaining.queries import contracts as queries
from zhijia.bargaining.queries import rounds as round_queries
from zhijia.bargaining.queries.compliance import checks_of, may_read_compliance
from zhijia.bargaining.views.common import managed_units, require_manager
from zhijia.bargaining.workflows import CONTRACT, ROUND
from zhijia.core import excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.pdf import pdf_response
from zhijia.core.views_workflow import NoInput, step_view, transition_step
from zhijia.core.workflow import available_transitions, history_view
from zhijia.voting import queries as voting_queries

STEPS = ("sign", "file", "object", "revise")
STEP_CONFIRM = {
    "sign": gettext_lazy("签字后合同文本定稿，应在 10 日内报送劳动保障行政部门。"),
    "file": gettext_lazy("报送后，15 日内未收到异议即行生效。"),
    "object": gettext_lazy("登记异议后合同退回修改，需重新审议。"),
    "revise": gettext_lazy("将建立新版本并回到草案状态。"),
}


# --- the worker's --------------------------------------------------------------------------------


@login_required
def home(request):
    if not queries.may_read_home(request.user):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "bargaining/home.html",
        {
            "title": _("集体合同"),
            "q": q,
            "found": queries.search_published(request.user, q) if q else None,
            "search_limit": queries.SEARCH_LIMIT,
            "contracts": paginate(request, queries.published_for(request.user)),
            "rounds": list(round_queries.collecting_for(request.user)),
            "may_manage": queries.may_manage(request.user),
            "may_inspect": may_read_compliance(request.user),
        },
    )


@login_required
def contract_read(request, contract_id: int):
    if not queries.may_read_home(request.user):
        raise PermissionDenied
    contract = queries.access_published_contract(request.user, contract_id)
    version = contract.current_version()
    return render(
        request,
        "bargaining/contract_read.html",
        {
            "title": contract.title,
            "contract": contract,
            "version": version,
            "clauses": queries.clauses_of(version),
            "state_label": CONTRACT.state_label(contract.state),
            "article": cite(rules.ART_PUBLICATION),
        },
    )


# --- the desk ------------------------------------------------------------------------------------


def _contract_filters(request) -> dict:
    """The dashboard's drill-down: the unit's subtree and the day the contracts were in force
    (?unit=&in_force_on=YYYY-MM-DD; a malformed day is ignored)."""
    raw_unit = request.GET.get("unit", "")
    try:
        day = dt.date.fromisoformat(request.GET.get("in_force_on", ""))
    except ValueError:
        day = None
    return {
        "unit_id": int(raw_unit) if raw_unit.isdigit() and 0 < int(raw_unit) < 2**63 else None,
        "in_force_on": day,
    }


@login_required
def desk(request):
    require_manager(request)
    filters = _contract_filters(request)
    return render(
        request,
        "bargaining/desk.html",
        {
            "title": _("集体协商管理"),
            "rounds": paginate(request, round_queries.managed_rounds(request.user), param="rpage"),
            "contracts": paginate(request, queries.managed_contracts(request.user, **filters)),
            "in_force_on": filters["in_force_on"],
            "unit_id": filters["unit_id"],
            "export_query": request.GET.urlencode(),
            "round_states": ROUND,
            "contract_states": CONTRACT,
        },
    )


@login_required
def desk_export(request):
    require_manager(request)
    filters = _contract_filters(request)
    return excel.xlsx_response(
        _("集体协商.xlsx"),
        exports.contracts_sheet(queries.managed_contracts(request.user, **filters).iterator()),
        exports.rounds_sheet(round_queries.managed_rounds(request.user).iterator()),
    )


@login_required
def contract_new(request):
    require_manager(request)
    round_ = None
    if request.GET.get("round") or request.POST.get("round"):
        round_ = round_queries.access_managed_round(
            request.user, request.GET.get("round") or request.POST.get("round")
        )
    initial = {}
    if round_ is not None:
        initial = {
            "org_unit": round_.org_unit_id,
            "kind": round_.kind,
            "title": round_.title,
            "employer_name": round_.employer_name,
        }
    form = ContractForm(request.POST or None, initial=initial, units=managed_units(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        contract, status = run_action(
            form,
            lambda: actions.do_create_contract(
                actor=request.user,
                org_unit=d["org_unit"],
                kind=d["kind"],
                title=d["title"],
                employer_name=d["employer_name"],
                term_years=d["term_years"],
                vote_basis=d["vote_basis"],
                round=round_,
            ),
        )
        if status == 200:
            messages.success(request, _("合同草案已建立，请添加条款"))
            return redirect("bargaining:contract", contract.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "bargaining/form.html",
        {"title": _("新建集体合同草案"), "form": form, "round": round_},
        status=status,
    )


def contract_page(request, contract, *, forms=None, status=200):
    forms = forms or {}
    version = contract.current_version()
    steps = []
    for step in available_transitions(CONTRACT, contract, request.user):
        if step.name not in STEPS:
            continue
        form = forms.get(step.name) or (step.get_form()() if step.form else NoInput())
        steps.append((step, form, STEP_CONFIRM.get(step.name, "")))
    poll = contract.poll
    turnout = voting_queries.turnout(poll) if poll is not None else None
    editable = (
        contract.in_state(CONTRACT.states.draft)
        and contract.poll_id is None
        and version is not None
        and not version.frozen
    )
    return render(
        request,
        "bargaining/contract.html",
        {
            "title": contract.title,
            "contract": contract,
            "state_label": CONTRACT.state_label(contract.state),
            "version": version,
            "versions": queries.versions_of(contract),
            "clauses": queries.clauses_of(version),
            "women_findings": queries.women_findings(contract, version),
            "editable": editable,
            "clause_form": forms.get("clause") or ClauseForm(),
            "edit_form": forms.get("edit") or ClauseEditForm(),
            "version_form": forms.get("version") or VersionForm(),
            "vote_form": forms.get("vote") or VoteForm(),
            "may_new_version": contract.in_state(CONTRACT.states.draft) and poll is None,
            "poll": poll,
            "turnout": turnout,
            "key_ready": bool(poll and poll.encrypted and voting_queries.ceremony_complete(poll)),
            # An encrypted vote's trustees, for where its key ceremony stands.
            "trustees": voting_queries.trustees_of(poll) if poll and poll.encrypted else [],
            "steps": steps,
            "checks": list(checks_of(contract)),
            "effective": contract.in_state(CONTRACT.states.effective),
            "history": history_view(contract, request.user),
            "article_vote": cite(rules.ART_VOTE),
            "article_filing": cite(rules.ART_FILING),
            "article_effective": cite(rules.ART_EFFECTIVE),
            "article_term": cite(rules.ART_TERM),
            "check_form": forms.get("check"),
            "result_form": forms.get("result"),
        },
        status=status,
    )


@login_required
def contract_detail(request, contract_id: int):
    require_manager(request)
    return contract_page(request, queries.access_managed_contract(request.user, contract_id))


def _contract_url(contract) -> str:
    return reverse("bargaining:contract", args=[contract.pk])


@login_required
@require_POST
def clause_add(request, contract_id: int):
    require_manager(request)
    contract = queries.access_managed_contract(request.user, contract_id)
    return step_view(
        request,
        form=ClauseForm(request.POST),
        call=lambda d: actions.do_add_clause(
            actor=request.user,
            contract=contract,
            title=d["title"],
            text=d["text"],
            measurable=d["measurable"],
        ),
        on_error=lambda f, status: contract_page(
            request, contract, forms={"clause": f}, status=status
        ),
        success_url=_contract_url(contract),
        message=_("条款已添加"),
    )


@login_required
@require_POST
def clause_edit(request, contract_id: int):
    require_manager(request)
    contract = queries.access_managed_contract(request.user, contract_id)
    return step_view(
        request,
        form=ClauseEditForm(request.POST),
        call=lambda d: actions.do_edit_clause(
            actor=request.user,
            contract=contract,
            number=d["number"],
            title=d["title"],
            text=d["text"],
            measurable=d["measurable"],
            remove=d["remove"],
        ),
        on_error=lambda f, status: contract_page(
            request, contract, forms={"edit": f}, status=status
        ),
        success_url=_contract_url(contract),
        message=_("条款已修改"),
    )


@login_required
@require_POST
def version_new(request, contract_id: int):
    require_manager(request)
    contract = queries.access_managed_contract(request.user, contract_id)
    return step_view(
        request,
        form=VersionForm(request.POST),
        call=lambda d: actions.do_new_version(
            actor=request.user, contract=contract, note=d["note"]
        ),
        on_error=lambda f, status: contract_page(
            request, contract, forms={"version": f}, status=status
        ),
        success_url=_contract_url(contract),
        message=_("新版本已建立，已复制上一版本的条款"),
    )


@login_required
def contract_diff(request, contract_id: int):
    require_manager(request)
    contract = queries.access_managed_contract(request.user, contract_id)
    versions = queries.versions_of(contract)
    if not versions:
        raise Http404
    newest = versions[-1].number
    a = queries.version_of(contract, request.GET.get("a", max(newest - 1, 1)))
    b = queries.version_of(contract, request.GET.get("b", newest))
    return render(
        request,
        "bargaining/diff.html",
        {
            "title": _("条款对照"),
            "contract": contract,
            "versions": versions,
            "a": a,
            "b": b,
            "changes": queries.diff(a, b),
        },
    )


@login_required
def contract_pdf(request, contract_id: int, number: int):
    require_manager(request)
    contract = queries.access_managed_contract(request.user, contract_id)
    version = queries.version_of(contract, number)
    return pdf_response(
        "bargaining/contract_pdf.html",
        {
            "contract": contract,
            "version": version,
            "clauses": queries.clauses_of(version),
        },
        f"{contract.title}-v{version.number}.pdf",
        request,
        stylesheet="bargaining/print.css",
    )


@login_required
@require_POST
def vote_prepare(request, contract_id: int):
    require_manager(request)
    contract = queries.access_managed_contract(request.user, contract_id)
    return step_view(
        request,
        form=None,
        call=lambda d: actions.do_prepare_contract_vote(actor=request.user, contract=contract),
        on_error=lambda f, status: contract_page(
            request, contract, forms={"vote": f}, status=status
        ),
        success_url=lambda poll: reverse("voting:manage-poll", args=[poll.pk]),
        message=_("已准备加密表决：请在本页指定 3 至 5 名监票人，他们生成密钥后回到合同页开始表决"),
    )


@login_required
@require_POST
def vote_open(request, contract_id: int):
    require_manager(request)
    contract = queries.access_managed_contract(request.user, contract_id)
    return step_view(
        request,
        form=VoteForm(request.POST),
        # Prepared: its encrypted online vote; not prepared: a hall (paper) vote, the only
        # other way (an online vote is always encrypted).
        call=lambda d: actions.do_open_contract_vote(
            actor=request.user, contract=contract, paper=contract.poll_id is None, total=d["total"]
        ),
        on_error=lambda f, status: contract_page(
            request, contract, forms={"vote": f}, status=status
        ),
        success_url=_contract_url(contract),
        message=_("表决已开始"),
    )


@login_required
@require_POST
def vote_close(request, contract_id: int):
    require_manager(request)
    contract = queries.access_managed_contract(request.user, contract_id)
    form = NoInput(request.POST)
    form.is_valid()
    outcome, status = run_action(
        form, lambda: actions.do_close_contract_vote(actor=request.user, contract=contract)
    )
    if status != 200:
        return contract_page(request, contract, forms={"vote": form}, status=status)
    if outcome is None:
        messages.info(request, actions.AWAITING_DECRYPTION)
        return redirect(_contract_url(contract))
    text = actions.vote_message(outcome)
    (messages.success if outcome.passed else messages.warning)(request, text)
    return redirect(_contract_url(contract))


@login_required
@require_POST
def contract_step(request, contract_id: int, action: str):
    require_manager(request)
    contract = queries.access_managed_contract(request.user, contract_id)
    if action not in STEPS:
        raise Http404
    return transition_step(
        request,
        CONTRACT,
        action,
        record=contract,
        record_arg="contract",
        on_error=lambda f, status: contract_page(
            request, contract, forms={action: f}, status=status
        ),
        success_url=_contract_url(contract),
        message=_("已办理"),
    )
