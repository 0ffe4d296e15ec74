"""Helpers for suggestion tests: a finance handler, a suggestion taken to a given step."""

from __future__ import annotations

from zhijia.accounts.models import Role, RoleAssignment, User
from zhijia.org.models import Department
from zhijia.services.actions import suggestions as actions

MARKS = {"创新性": 80, "可行性": 90, "经济效益": 70, "推广价值": 60}  # 77.5 by default weights


def department(code: str) -> Department:
    return Department.objects.get(code=code)


def finance_handler(username: str = "finance1") -> User:
    """A handler of 财务部 (services.certify_suggestion_benefit over it)."""
    user = User.objects.create(username=username, full_name="钱会计")
    RoleAssignment.objects.create(user=user, role=Role.HANDLER, department=department("D-FIN"))
    return User.objects.get(pk=user.pk)


def submit(author, title="检修工具改进", *, problem="", proposal="", dept="D-HR", **fields):
    return actions.do_submit_suggestion(
        actor=author,
        title=title,
        category=fields.pop("category", "innovation"),
        problem=problem or f"{title}：现有工具效率低",
        proposal=proposal or f"{title}：改用新型工装",
        department=department(dept),
        **fields,
    )


def adopted(personas, author=None, *, title="检修工具改进", finance="D-HR"):
    """A suggestion of rep1 (or `author`) reviewed by handler1, scored by the chair, adopted
    by branch1 with `finance` as its finance department."""
    s = submit(author or personas["rep1"], title)
    actions.do_review_suggestion(actor=personas["handler1"], suggestion=s)
    actions.do_appoint_suggestion_experts(
        actor=personas["branch1"], suggestion=s, experts=[personas["chair"]]
    )
    actions.do_score_suggestion(actor=personas["chair"], suggestion=s, marks=MARKS)
    actions.do_adopt_suggestion(
        actor=personas["branch1"], suggestion=s, finance_department=department(finance)
    )
    s.refresh_from_db()
    return s
