"""The world of the global search tests (tests/test_global_search.py): records of two branches
written through the modules' own actions, plus members indexed by a full reindex.

Branch 1 (B1): 张三 (a member), worker1's named grievance, an anonymous grievance written by
王秀英 through the box, rep1's grievance that the chair transferred to branch 2's union, an
activity and a course of branch1.
Branch 2 (B2): 李四, worker2's named grievance, a notice of branch2 to its own branch, an
activity of branch2.
Enterprise: the chair's notice to everyone and a published knowledge answer.
Every text holds the word 加班 so that one query reaches every type.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhijia.cases.actions import box as box_actions
from zhijia.cases.actions import grievances as grievance_actions
from zhijia.cases.actions import knowledge as knowledge_actions
from zhijia.cases.queries import grievances as grievance_queries
from zhijia.cases.queries import knowledge as knowledge_queries
from zhijia.core import searchables
from zhijia.notices.actions import notices as notice_actions
from zhijia.notices.queries import notices as notice_queries
from zhijia.org.models import Member, OrgUnit
from zhijia.org.queries.members import access_member
from zhijia.org.tests.member_factory import make_member
from zhijia.services.actions import learning as learning_actions
from zhijia.services.queries import activities as activity_queries
from zhijia.services.queries import learning as learning_queries
from zhijia.services.tests.activities_support import make_activity

USERS = ("chair", "branch1", "branch2", "rep1", "worker1", "worker2", "handler1", "women1")
ANONYMOUS_AUTHOR = "王秀英"
ANONYMOUS_TEXT = "班组长克扣夜班加班费，不敢实名反映"


def build_world(personas) -> dict:
    units = {u.code: u for u in OrgUnit.objects.all()}
    chair, branch1, branch2 = personas["chair"], personas["branch1"], personas["branch2"]
    world: dict = {"units": units}
    world["zhang"] = make_member("B1-G2", name="张三", employee_no="S10001")
    world["li"] = make_member("B2-G2", name="李四", employee_no="S20001")
    world["wang"] = make_member("B1-G3", name=ANONYMOUS_AUTHOR, gender="F", employee_no="S10002")
    world["own1"] = grievance_actions.do_submit_grievance(
        actor=personas["worker1"], kind="grievance", category="wages", text="食堂加班餐补贴未发放"
    )
    world["own2"] = grievance_actions.do_submit_grievance(
        actor=personas["worker2"],
        kind="grievance",
        category="wages",
        text="宿舍空调坏了，加班后无法休息",
    )
    # rep1's grievance (branch 1), handed by the chair to branch 2's union: both find it
    transferred = grievance_actions.do_submit_grievance(
        actor=personas["rep1"], kind="grievance", category="wages", text="车间加班调休未落实"
    )
    world["transferred"] = grievance_actions.do_transfer_grievance(
        actor=chair, grievance=transferred, unit=units["B2"], note="涉及设备部，转第二分工会办理"
    )
    box_actions.do_put_in_box(
        kind="grievance", category="wages", org_unit=units["B1"], text=ANONYMOUS_TEXT
    )
    box_actions.open_box(include_today=True)
    for_all = notice_actions.do_create_notice(
        actor=chair,
        org_unit=units["U"],
        title="关于规范加班工资发放的通知",
        body="各单位严格执行加班工资标准。",
    )
    notice_actions.do_publish_notice(actor=chair, notice=for_all)
    for_b2 = notice_actions.do_create_notice(
        actor=branch2,
        org_unit=units["B2"],
        title="第二分工会周末加班安排",
        body="设备部周末加班名单。",
    )
    notice_actions.do_publish_notice(actor=branch2, notice=for_b2)
    knowledge_actions.do_create_knowledge(
        actor=chair,
        org_unit=units["U"],
        question="加班工资怎么计算",
        answer="工作日加班按工资的百分之一百五十支付。",
        legal_basis="劳动法第四十四条",
        category="wages",
    )
    make_activity(branch1, units["B1"], title="加班之余羽毛球赛")
    make_activity(branch2, units["B2"], title="第二分工会加班骑行")
    course = learning_actions.do_create_learning_course(
        actor=branch1,
        title="加班与休息休假法律知识",
        org_unit=units["B1"],
        kind="online",
        hours="2",
        description="工时制度与加班费",
    )
    learning_actions.do_publish_learning_course(actor=branch1, course=course)
    searchables.reindex(["org.member"])  # the personas' and factory members
    return world


def _opens(access, user, pk) -> bool:
    try:
        access(user, pk)
    except (Http404, PermissionDenied):
        return False
    return True


def may_open(user, type_key: str, target_id: str) -> bool:
    """The oracle: would the record's own page open for the user (the modules' access_*
    helpers, not the search's scopes)?"""
    pk = int(target_id)
    if type_key == "org.member":
        return _opens(access_member, user, pk)
    if type_key == "cases.grievance":
        return _opens(grievance_queries.access_grievance, user, pk)
    if type_key == "cases.knowledge":
        return _opens(knowledge_queries.access_knowledge, user, pk)
    if type_key == "notices.notice":
        return _opens(notice_queries.access_notice, user, pk)
    if type_key == "services.activity":
        return _opens(activity_queries.access_activity, user, pk)
    if type_key == "services.course":
        return _opens(learning_queries.access_course, user, pk)
    raise AssertionError(f"no oracle for {type_key}")


def in_subtree(unit: OrgUnit, root_code: str) -> bool:
    return unit.path.startswith(OrgUnit.objects.get(code=root_code).path)


def member_unit(pk: int) -> OrgUnit:
    return Member.objects.select_related("org_unit").get(pk=pk).org_unit
