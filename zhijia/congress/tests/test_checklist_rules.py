"""The checklist's pure rules (no database)."""

from zhijia.congress import checklist_rules as rules


def test_the_five_subjects_in_the_order_of_the_seed():
    assert rules.SUBJECTS == ("disclosure", "safety", "progress", "contract", "resolutions")
    assert sorted(["resolutions", "x", "disclosure"], key=rules.subject_order) == [
        "disclosure",
        "resolutions",
        "x",
    ]


def test_a_finding_is_checked():
    assert rules.finding_error("safety", "ok") == ""
    assert rules.finding_error("safety", "problem") == ""
    assert rules.finding_error("canteen", "ok") == rules.UNKNOWN_SUBJECT
    assert rules.finding_error("safety", "") == rules.UNKNOWN_VERDICT
    assert rules.finding_error("safety", "ok", had_problem=True) == rules.PROBLEM_KEPT
    assert rules.finding_error("safety", "problem", had_problem=True) == ""
    assert rules.note_required("problem") and not rules.note_required("ok")


def test_facts_are_stored_as_plain_values():
    assert rules.fact_record("超期", 3, False, "/x") == {
        "label": "超期",
        "value": 3,
        "ok": False,
        "url": "/x",
    }
    assert rules.fact_record("标志", True, True)["value"] == "True"
    facts = [rules.fact_record("a", 0, True), rules.fact_record("b", 2, False)]
    assert rules.attention(facts) == 1


def test_the_title_of_a_problem_and_the_progress():
    assert rules.finding_title("安全生产管理", "灭火器过期\n共三处") == "安全生产管理：灭火器过期"
    long = rules.finding_title("安全生产管理", "长" * 300)
    assert len(long) == 200 and long.endswith("…")
    assert rules.progress(["ok", "", "problem", "problem"]) == (3, 2)
