"""The rules, scopes and helpers of the congress access matrix (tests/access/test_congress.py):
who may do what over which target, the row builders P (a page) and A (an API operation), and
the checks of list answers. The expectations themselves are the rows of congress_pages.py and
congress_api.py."""

from __future__ import annotations

from tests.access.framework import B1, B2, BOTH, REC, Row, Rule, scoped
from tests.access.world_congress import TEXT

# --- who may do what, over which target ("b1": a record of branch 1, "b2": of branch 2) -------
CADRES = {"chair": BOTH, "branch1": B1, "branch2": B2}  # their unit's subtree
# ... and the enterprise congress itself (target "u"): the committee's alone
CADRES_U = {**CADRES, "chair": BOTH | {"u"}}
REC_U = (*REC, "u")
COMMITTEE = {"chair": BOTH}  # the enterprise congress's proposal committee
REP = {"rep1": B1}  # rep1's own representation (branch 1's congress)
# the members of the electoral unit (branch 1: branch1, rep1, worker1; branch 2: branch2, worker2)
ELECTORS = {"branch1": B1, "rep1": B1, "worker1": B1, "branch2": B2, "worker2": B2}
ELECTION_VIEW = {**ELECTORS, "chair": BOTH}
PROPOSER = {"rep1": B1}
# who reads a submitted proposal: the committee, the cadres of the proposer's branch, the proposer
PROPOSAL_READ = {"chair": BOTH, "branch1": B1, "branch2": B2, "rep1": B1}
# ... and, once assigned, the handler of the department (both branches' proposals)
PROPOSAL_ASSIGNED = {**PROPOSAL_READ, "handler1": BOTH}
HANDLER = {"handler1": BOTH}
TOUR_VIEW = {"chair": BOTH, "branch1": B1, "branch2": B2, "rep1": B1}
TOUR_REPORT = {"chair": BOTH, "branch1": B1, "branch2": B2, "rep1": B1}  # managers, participants
ITEM_VIEW = {**TOUR_VIEW, "handler1": BOTH}
REPRESENTATIVES = {"rep1"}
PROPOSAL_QUEUE = {"chair", "branch1", "branch2"}
TOUR_LISTS = {"chair", "branch1", "branch2", "rep1"}
# the follow-up of a branch congress's resolutions: read by its office (the branch's cadres and
# the chair), the responsible department's handler and the branch's representatives; reported
# on by the handler and the office; managed by the office alone
FOLLOWUP_VIEW = {"chair": BOTH, "branch1": B1, "branch2": B2, "rep1": B1, "handler1": BOTH}
FOLLOWUP_REPORT = {"chair": BOTH, "branch1": B1, "branch2": B2, "handler1": BOTH}
FOLLOWUP_LISTS = {"chair", "branch1", "branch2", "rep1", "handler1"}
# participation channels: a branch's reception days and hearings are seen by its cadres (the
# chair's too) and by the members of the branch; its members book and comment (the chair is a
# member of the committee's unit, above the branch: he sees, he does not book); the booker sees
# her booking and its tracked item
CHANNEL_VIEW = {
    "chair": BOTH,
    "branch1": B1,
    "branch2": B2,
    "rep1": B1,
    "worker1": B1,
    "worker2": B2,
}
CHANNEL_MEMBERS = {"branch1": B1, "rep1": B1, "worker1": B1, "branch2": B2, "worker2": B2}
BOOKER = {"worker1": B1, "worker2": B2}
BOOKING_VIEW = {**CADRES, **BOOKER}
# deliberation meetings are the cadres'; a sit-in is seen by the cadres and the representative
# who sat in, who alone reports
SITIN_VIEW = {**CADRES, "rep1": B1}
SITIN_REPORTER = {"rep1": B1}
# the report to the next session: the congress's office and representatives
REPORT_VIEW = {"chair": BOTH, "branch1": B1, "branch2": B2, "rep1": B1}

# the bodies between sessions (专门小组, 述职, 基层职工监督员): the office is the cadres; a
# branch congress's working group is read by its representatives too (rep1 in b1, its head)
OFFICE = {"chair", "branch1", "branch2"}
GROUP_VIEW = {"chair": BOTH, "branch1": B1, "branch2": B2, "rep1": B1}
# the duty report of a representative of B1-G1 / B2-G1: the office and her constituents
CONSTITUENTS = {"rep1": B1, "worker1": B1, "worker2": B2}
DUTY_REPORT_READ = {**CADRES, **CONSTITUENTS}
# the supervisors: worker1 in branch 1, worker2 in branch 2
OBSERVATION_VIEW = {**CADRES, "worker1": B1, "worker2": B2}


def hidden(scope: dict, ok: int = 200, outside: int = 404) -> Rule:
    """A congress record: ok within the persona's scope, 404 to everyone else (a sibling
    branch's chair and those who hold the right nowhere alike: the record is not revealed)."""
    return scoped(scope, ok=ok, outsiders=404, outside=outside)


def seen_then(read: dict, act: dict, ok: int = 200, seen: int = 403) -> Rule:
    """A record `read` reveals (else 404) on which only `act` may act (else `seen`: 403)."""

    def rule(p, t):
        if t not in read.get(p, ()):
            return 404
        return ok if t in act.get(p, ()) else seen

    return rule


def P(url, method, path, rule, targets=(None,), **kw) -> Row:
    """A page row; `url` is the url name within namespace congress."""
    key = kw.pop("name", "") or (f"congress:{url}-post" if method == "post" else "")
    return Row(f"congress:{url}", method, f"/congress/{path}", rule, targets, name=key, **kw)


def A(method, path, rule, targets=(None,), **kw) -> Row:
    """An API row; `path` is the OpenAPI path after /api/v1/congress, the request's path is the
    same with the world's ids (`fill`)."""
    fill = kw.pop("fill", path)
    route = f"{method.upper()} /api/v1/congress{path}"
    return Row(route, method, f"/api/v1/congress{fill}", rule, targets, **kw)


def ids_in(**values):
    """Form or JSON data over the world: values that are "{key}" name a world id of the target."""

    def data(w, t):
        out = {}
        for k, v in values.items():
            if isinstance(v, str) and v.startswith("{") and v.endswith("}"):
                ref = w[v[1:-1]]
                out[k] = ref[t] if isinstance(ref, dict) else ref
            elif isinstance(v, list):
                out[k] = [data_one(w, t, x) for x in v]
            else:
                out[k] = v
        return out

    def data_one(w, t, x):
        if isinstance(x, str) and x.startswith("{") and x.endswith("}"):
            ref = w[x[1:-1]]
            return ref[t] if isinstance(ref, dict) else ref
        return x

    return data


def lists(kinds: tuple[str, ...], scope: dict, key: str = ""):
    """A check of a list answer: exactly the records of `kinds` (world keys) on the targets
    within the persona's scope, none of another branch's."""

    def check(response, world, persona, target):
        if response.status_code != 200:
            return
        items = response.json()[key or "items"]  # the one page envelope (core.pagination)
        wanted = {world[k][t] for k in kinds for t in scope.get(persona, ()) if t in world[k]}
        assert {item["id"] for item in items} == wanted, (persona, items)

    return check


PROPOSAL_KINDS = tuple(
    f"proposal_{state}"
    for state in (
        ["draft", "invited", "submitted", "accepted", "handling", "cohandling", "answered"]
    )
)


def no_foreign_proposals(response, world, persona, target):
    """The proposal list shows nobody a proposal outside their reach: no sibling branch's to a
    branch's cadre or representative, none at all to those without a proposal role."""
    if response.status_code != 200:
        return
    ids = {item["id"] for item in response.json()["items"]}
    reach = PROPOSAL_ASSIGNED.get(persona, set())
    foreign = {world[k][t] for k in PROPOSAL_KINDS for t in ("b1", "b2") if t not in reach}
    assert not ids & foreign, (persona, ids & foreign)
    if persona == "handler1" and not response.wsgi_request.GET.get("box"):  # the assigned ones
        assigned = {world[k][t] for k in PROPOSAL_KINDS[4:] for t in ("b1", "b2")}
        assert ids == assigned


def checked_in_self(response, world, persona, target):
    """The hall code checks in the caller, and only the caller."""
    if response.status_code == 200:
        from zhijia.congress.models import Attendance

        assert response.json()["representative_id"] == world["rep"][target]
        present = Attendance.objects.filter(session_id=world["session_checkin"][target])
        assert list(present.values_list("representative_id", flat=True)) == [world["rep"][target]]


TERM_DATES = {"start_date": "2029-03-01", "end_date": "2034-02-28"}


def proposal_text() -> dict:
    return dict(TEXT)
