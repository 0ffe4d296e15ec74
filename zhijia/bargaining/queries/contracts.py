"""Reads of collective contracts. Who sees what (404 for anything else):

the desk (every version, the vote, signing, filing)  cadres holding bargaining.manage over the
                                                       contract's unit
an effective or expired contract's text              every member on the roll of a unit in the
                                                       contract's unit subtree (Art. 48), and
                                                       its cadres
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhijia.bargaining import rules
from zhijia.bargaining.models import Clause, Contract, ContractVersion
from zhijia.bargaining.permissions import MANAGE
from zhijia.bargaining.queries.common import (
    article_number,
    is_member,
    manages,
    may_manage,
    member_prefixes,
    pk_or_404,
)
from zhijia.bargaining.workflows import CONTRACT
from zhijia.core import hooks
from zhijia.core.permissions import scope_q
from zhijia.org.models import OrgUnit

PUBLISHED = (CONTRACT.states.effective, CONTRACT.states.expired)


def may_read_home(user) -> bool:
    return is_member(user) or may_manage(user)


# The states of a contract that took effect (an expired one's state may still say 已生效 until
# the sweep runs: the dates decide whether it was in force on a day).
TOOK_EFFECT = ("effective", "expired")


def in_force_q(day: dt.date) -> Q:
    """Contracts in force on `day`: taken effect by then and not expired before it."""
    return Q(state__in=TOOK_EFFECT, effective_on__lte=day) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=day)
    )


def managed_contracts(
    user, *, unit_id: int | None = None, in_force_on: dt.date | None = None
) -> QuerySet[Contract]:
    """The contracts the user manages; `unit_id`: of that unit's subtree; `in_force_on`: only
    those in force on that day (the dashboard's contracts in force drill into these)."""
    qs = Contract.objects.filter(scope_q(user, MANAGE, path_field="org_unit__path"))
    if unit_id:
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        qs = qs.filter(org_unit__path__startswith=unit.path) if unit else qs.none()
    if in_force_on is not None:
        qs = qs.filter(in_force_q(in_force_on))
    return qs.select_related("org_unit").order_by("-created_at", "-id")


def access_managed_contract(user, contract_id) -> Contract:
    contract = managed_contracts(user).filter(pk=pk_or_404(contract_id)).first()
    if contract is None:
        raise Http404
    return contract


def published_for(user) -> QuerySet[Contract]:
    """The contracts in force (or expired) over the member's unit: their unit and above."""
    prefixes = member_prefixes(user)
    return (
        Contract.objects.filter(state__in=PUBLISHED, org_unit__path__in=prefixes)
        .select_related("org_unit")
        .order_by("-effective_on", "-id")
    )


def access_published_contract(user, contract_id) -> Contract:
    pk = pk_or_404(contract_id)
    contract = published_for(user).filter(pk=pk).first()
    if contract is None:
        contract = managed_contracts(user).filter(pk=pk, state__in=PUBLISHED).first()
    if contract is None:
        raise Http404
    return contract


SEARCH_LIMIT = 20  # the best matches shown; the search names its size on the page


def search_published(user, query: str) -> list[Contract]:
    """Contracts in force (or expired) whose title or clauses match, that the user may read."""
    from zhijia.core import search

    scope = scope_q(user, MANAGE, path_field="unit_path") | Q(unit_path__in=member_prefixes(user))
    hits = search.search(query, types=["bargaining.contract"], scope_q=scope, limit=SEARCH_LIMIT)
    ids = [int(h.target_id) for h in hits]
    readable = published_for(user).filter(pk__in=ids) | managed_contracts(user).filter(
        pk__in=ids, state__in=PUBLISHED
    )
    found = {c.pk: c for c in readable}
    return [found[pk] for pk in ids if pk in found]


def versions_of(contract: Contract) -> list[ContractVersion]:
    return list(contract.versions.order_by("number"))


def clauses_of(version: ContractVersion | None) -> list[Clause]:
    return list(version.clauses.order_by("number")) if version is not None else []


def version_of(contract: Contract, number) -> ContractVersion:
    try:
        n = int(number)
    except (TypeError, ValueError):
        raise Http404 from None
    version = contract.versions.filter(number=n).first()
    if version is None:
        raise Http404
    return version


def diff(a: ContractVersion, b: ContractVersion) -> list[rules.ClauseChange]:
    def rows(version):
        return [(str(c.number), c.title, c.text) for c in clauses_of(version)]

    return rules.diff_clauses(rows(a), rows(b))


def women_findings(contract: Contract, version: ContractVersion | None) -> list[str]:
    """For a women's special contract: where its clauses fall short of 女职工劳动保护特别规定
    (rules.check_women_clauses against the national minimums module women provides through
    core.hooks.legal_minimums), in words citing the article. Empty for the other kinds."""
    if contract.kind != Contract.Kind.WOMEN or version is None:
        return []
    subjects = {
        "maternity": _("产假"),
        "nursing": _("哺乳时间"),
        "pregnancy": _("孕期保护（不安排延长劳动时间和夜班劳动）"),
    }
    messages = []
    rows = [(str(c.number), c.title, c.text) for c in clauses_of(version)]
    minimums = {m.code: m.value for m in hooks.legal_minimums()}
    for f in rules.check_women_clauses(rows, minimums):
        article = _("《女职工劳动保护特别规定》第%(n)s条") % {"n": article_number(f.article)}
        if f.code == "missing":
            messages.append(
                _("没有关于%(subject)s的条款（%(article)s）。")
                % {"subject": subjects[f.subject], "article": article}
            )
        else:
            unit = _("天") if f.subject == "maternity" else _("分钟")
            messages.append(
                _(
                    "第%(clause)s条的%(subject)s（%(found)g %(unit)s）"
                    "低于法定的 %(minimum)g %(unit)s（%(article)s）。"
                )
                % {
                    "clause": f.clause,
                    "subject": subjects[f.subject],
                    "found": f.found,
                    "minimum": f.minimum,
                    "unit": unit,
                    "article": article,
                }
            )
    return messages


__all__ = ["manages"]
