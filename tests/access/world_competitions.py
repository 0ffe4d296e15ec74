"""The world of tests/access/test_competitions.py, built once per module.

Targets "b1" / "b2": competitions organised by branch1's / branch2's unit (audience: that
branch's subtree). Judges: handler1 on b1's, mediator1 on b2's. Each target has
  draft   a draft with items (100%) and a stage, ready to open;
  reg     open for registration, one stage, worker1's / worker2's entry (withdrawable), an
          extra member of the branch without an entry (a team's leader);
  run     running: stage A closed (ranked), stage B scoring (the judge scored entry one,
          not entry two), stage C pending; entries by the branch's persona members;
  pub     published for its 公示 period, one stage, an objection not yet answered.
"""

from __future__ import annotations

from django.core.cache import cache

from tests.access.framework import World, fingerprint, make_clients

REC = ("b1", "b2")
KEYS = (
    "draft",
    "reg",
    "run",
    "pub",
    "stage_a",
    "stage_b",
    "stage_c",
    "entry_one",
    "entry_two",
    "objection",
    "mine",
    "unit",
)


def build_world() -> World:
    from zhijia.accounts.models import User
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import OrgUnit
    from zhijia.org.tests.member_factory import make_member
    from zhijia.services.actions import competitions as actions
    from zhijia.services.queries import competitions as queries
    from zhijia.services.tests.competitions_support import enter, open_competition, score, start

    cache.clear()
    ensure_demo_structure()
    personas = ensure_demo_accounts()
    cadre = {"b1": personas["branch1"], "b2": personas["branch2"]}
    judge = {"b1": personas["handler1"], "b2": personas["mediator1"]}
    # the branch's persona members (entries of "run"), and the objecting member of "pub"
    members = {
        "b1": (personas["worker1"], personas["rep1"]),
        "b2": (personas["worker2"], personas["branch2"]),
    }
    units = {"b1": OrgUnit.objects.get(code="B1"), "b2": OrgUnit.objects.get(code="B2")}
    data: dict = {"personas": personas, "extra_no": {}, **{k: {} for k in KEYS}}
    for t in REC:
        code = units[t].code
        kw = {"unit_code": code, "judges": [judge[t]]}
        draft = actions.do_create_competition(
            actor=cadre[t], title=f"草稿竞赛{t}", kind="labour", org_unit=units[t]
        )
        actions.do_add_competition_item(actor=cadre[t], competition=draft, name="质量", weight=100)
        actions.do_add_competition_stage(actor=cadre[t], competition=draft, name="决赛")

        reg = open_competition(cadre[t], title=f"报名中{t}", stages=(("决赛", None),), **kw)
        extra = User.objects.create(username=f"extra-{t}", full_name=f"参赛者{t}")
        data["extra_no"][t] = make_member(code, name=f"参赛者{t}", user=extra).employee_no
        mine = enter(members[t][0], reg)

        run = open_competition(
            cadre[t], title=f"比赛中{t}", stages=(("A", None), ("B", None), ("C", None)), **kw
        )
        one, two = (enter(m, run) for m in members[t])
        stage_a = start(cadre[t], run)
        score(judge[t], stage_a, one, 80, 70)
        actions.do_close_competition_stage(actor=cadre[t], stage=stage_a)
        stage_b, stage_c = list(queries.stages_of(run))[1:]
        actions.do_open_competition_stage(actor=cadre[t], stage=stage_b)
        score(judge[t], stage_b, one, 90, 60)

        pub = open_competition(cadre[t], title=f"公示中{t}", stages=(("决赛", None),), **kw)
        pub_entry = enter(members[t][0], pub)
        pub_stage = start(cadre[t], pub)
        score(judge[t], pub_stage, pub_entry, 85, 75)
        actions.do_close_competition_stage(actor=cadre[t], stage=pub_stage)
        actions.do_publish_competition(actor=cadre[t], competition=pub)
        objection = actions.do_raise_competition_objection(
            actor=members[t][0], competition=pub, reason="计分有误"
        )
        for key, value in (
            ("draft", draft),
            ("reg", reg),
            ("run", run),
            ("pub", pub),
            ("stage_a", stage_a),
            ("stage_b", stage_b),
            ("stage_c", stage_c),
            ("entry_one", one),
            ("entry_two", two),
            ("objection", objection),
            ("mine", mine),
            ("unit", units[t]),
        ):
            data[key][t] = value.pk
    data["items"] = {
        t: [i.pk for i in queries.items_of(queries.access_competition(cadre[t], data["run"][t]))]
        for t in REC
    }
    cache.clear()

    def ids(persona: str, target) -> dict:
        if target not in REC:
            return {}
        return {key: data[key][target] for key in KEYS}

    return World(
        data=data, ids=ids, fingerprint=competitions_fingerprint, clients=make_clients(personas)
    )


def competitions_fingerprint() -> tuple:
    from zhijia.services.models import (
        Competition,
        CompetitionAward,
        CompetitionConflict,
        CompetitionEntry,
        CompetitionItem,
        CompetitionJudge,
        CompetitionObjection,
        CompetitionResult,
        CompetitionScore,
        CompetitionStage,
        CompetitionTeamMember,
    )

    return fingerprint(
        Competition,
        CompetitionItem,
        CompetitionStage,
        CompetitionEntry,
        CompetitionTeamMember,
        CompetitionResult,
        CompetitionJudge,
        CompetitionConflict,
        CompetitionScore,
        CompetitionObjection,
        CompetitionAward,
    )
