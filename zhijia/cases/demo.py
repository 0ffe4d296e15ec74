"""Demo data of module cases for `zhijia seed-demo`: a year of answered and rated grievances of
the demo workers, so that the satisfaction index shows a trend. Idempotent.

Every grievance goes through the real actions (submit, answer, rate); the demo then dates the
whole record back to the month it stands for (its received day, its workflow history and its
rating in the index), which no action can do.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhijia.cases.actions import grievances as actions
from zhijia.cases.models import Grievance
from zhijia.core import satisfaction_index
from zhijia.core.errors import ActionRefused
from zhijia.core.models import Rating, RatingFollowUp, WorkflowEvent
from zhijia.org.demo import ensure_demo_accounts

MARK = "（演示）"
# months ago | worker | category | question | answer | ratings (满意 S, 基本满意 B, 不满意 D):
# a year in which answers improve. A first 不满意 reopens the grievance at the committee, whose
# chair answers again; this month's second 不满意 leaves a call-back waiting for the cadres.
DEMO = """
11|worker1|working_hours|夜班后第二天仍被安排白班，休息时间不够。|已与车间协调轮班表。|DB
10|worker2|wages|上月加班费少算了两天。|财务已核对并补发。|B
10|rep1|safety|配电室门锁损坏，无人维修。|已报修并更换门锁。|S
9|worker1|contract|劳动合同到期后一直未续签。|人力资源部已通知续签。|DS
8|worker2|social_insurance|公积金基数没有按新工资调整。|已按新基数补缴。|S
7|rep1|other|食堂晚班没有热饭。|食堂已延长供餐时间。|B
6|worker1|working_hours|年休假申请一直不批。|已协调部门安排休假。|S
5|worker2|safety|车间通风差，夏天闷热。|已加装排风设备。|S
4|rep1|wages|高温津贴没有发放。|已按规定发放。|S
3|worker1|other|女职工休息室不够用。|已增设一间休息室。|S
2|worker2|contract|试用期延长没有书面说明。|人力资源部已书面答复。|B
1|rep1|working_hours|周末培训是否算加班？|按加班计算并补休。|S
0|worker1|social_insurance|生育津贴什么时候发放？|已告知办理流程和时间。|S
0|worker2|wages|夜班津贴标准多年未调整。|将在集体协商中提出。|DD
"""
RATINGS = {"S": "satisfied", "B": "basically", "D": "dissatisfied"}
ANSWERER = {"worker1": "branch1", "rep1": "branch1", "worker2": "branch2"}


def _months_ago(now: dt.datetime, months: int) -> dt.datetime:
    day = timezone.localtime(now).replace(day=15, hour=10, minute=0, second=0, microsecond=0)
    for _month in range(months):
        day = (day.replace(day=1) - dt.timedelta(days=1)).replace(day=15)
    return day


def seed_demo() -> str:
    if Grievance.objects.filter(text__endswith=MARK).exists():
        return "cases: demo grievances already there"
    personas = ensure_demo_accounts()
    now, made = timezone.now(), 0
    for line in DEMO.strip().splitlines():
        months, worker, category, question, answer, ratings = line.split("|")
        try:
            with transaction.atomic():
                g = actions.do_submit_grievance(
                    actor=personas[worker],
                    kind="grievance",
                    category=category,
                    text=question + MARK,
                )
                answerers = [personas[ANSWERER[worker]], personas["chair"]]
                for answerer, code in zip(answerers, ratings, strict=False):
                    actions.do_answer_grievance(actor=answerer, grievance=g, text=answer)
                    g.refresh_from_db()
                    actions.do_rate_grievance(
                        actor=personas[worker],
                        grievance=g,
                        rating=RATINGS[code],
                        comment="答复太慢，问题没有根本解决。" if code == "D" else "",
                    )
                    g.refresh_from_db()
                if int(months):
                    _date_back(g, _months_ago(now, int(months)), personas["chair"])
        except ActionRefused:
            continue  # a routing rule of this installation sends it elsewhere: leave it out
        made += 1
    return f"cases: {made} rated demo grievances over a year"


def _date_back(grievance: Grievance, when: dt.datetime, cadre) -> None:
    """Move the record to `when` (its received day, its history, its rating); a call-back that
    old was made long ago, so the branch cadre records it (this month's stays waiting)."""
    Grievance.objects.filter(pk=grievance.pk).update(received_on=timezone.localdate(when))
    WorkflowEvent.objects.filter(object_id=grievance.pk, workflow="cases.grievance").update(at=when)
    ratings = Rating.objects.filter(
        service=actions.SATISFACTION_SERVICE, record_id=str(grievance.pk)
    )
    ratings.update(rated_at=when + dt.timedelta(days=3))
    for follow_up in RatingFollowUp.objects.filter(rating__in=ratings):
        satisfaction_index.do_complete_follow_up(
            actor=cadre, follow_up=follow_up, note="已电话回访，职工对后续安排表示理解。"
        )
