"""Demo data of learning (培训) for `zhijia seed-demo` (called by services/demo.py).

ensure_demo_learning: the committee's online course 工会法与职工权益 with a bank of 12
questions and a test (5 drawn, 30 minutes, 60 to pass): rep1 and branch1 passed it
(certificates), worker2 was assigned it and has not started; worker1 has not enrolled (the
browser test enrols her and has her pass: the answers are DEMO_QUESTIONS'); the committee's
职工代表履职能力培训 (material, rep1 completed); branch1's classroom course 安全生产岗位
培训 with a session held (worker1 and rep1 checked in by roll call) and one next week; the
year's plans: all workers 8 hours, cadres 16, representatives 12 (the committee), branch 1's
workers 10.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.org.models import OrgUnit
from zhijia.services.actions import learning as learning_actions
from zhijia.services.actions import learning_tests as test_actions
from zhijia.services.models import LearningCourse, LearningQuestion, LearningSession


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


LEARNING_TEST_COURSE = "工会法与职工权益"
LEARNING_REP_COURSE = "职工代表履职能力培训"
LEARNING_ROOM_COURSE = "安全生产岗位培训"

# (题型, 题目, options, 答案, 解析)
DEMO_QUESTIONS: list[tuple[str, str, list[str], str, str]] = [
    (
        "单选",
        "《中华人民共和国工会法》规定，工会是中国共产党领导的什么组织？",
        ["职工自愿结合的工人阶级群众组织", "企业管理机构", "政府部门", "行业协会"],
        "A",
        "见工会法第二条。",
    ),
    (
        "单选",
        "企业、事业单位、社会组织违反劳动法律法规，侵犯职工劳动权益的，工会应当怎样做？",
        ["不予理会", "代表职工与单位交涉，要求纠正", "直接罢工", "向媒体曝光"],
        "B",
        "见工会法第二十二条。",
    ),
    (
        "单选",
        "职工代表大会是企业实行民主管理的基本形式，其工作机构是？",
        ["人事部", "财务部", "企业工会委员会", "董事会"],
        "C",
        "",
    ),
    (
        "单选",
        "会员按月缴纳的会费标准一般为本人工资收入的百分之几？",
        ["百分之五", "百分之一", "千分之一", "百分之零点五"],
        "D",
        "会员会费为本人每月工资收入的 0.5%。",
    ),
    (
        "单选",
        "工会经费的来源之一是建立工会组织的单位按每月全部职工工资总额的百分之几向工会拨缴？",
        ["百分之二", "百分之五", "百分之十", "千分之五"],
        "A",
        "",
    ),
    (
        "多选",
        "职工代表大会的职权包括哪些？",
        [
            "听取审议企业发展规划报告",
            "审议通过集体合同草案",
            "审议决定职工福利基金使用方案",
            "评议监督企业领导人员",
        ],
        "ABCD",
        "",
    ),
    (
        "多选",
        "集体协商可以涉及下列哪些内容？",
        ["劳动报酬", "工作时间", "休息休假", "企业股票价格"],
        "ABC",
        "",
    ),
    (
        "判断",
        "集体合同订立后，应当报送劳动行政部门。",
        [],
        "对",
        "劳动行政部门自收到之日起十五日内未提出异议的，集体合同即行生效。",
    ),
    ("判断", "用人单位可以因女职工怀孕降低其工资。", [], "错", "见《女职工劳动保护特别规定》。"),
    ("判断", "工会主席、副主席任期未满时，不得随意调动其工作。", [], "对", ""),
    (
        "填空",
        "我国工会的最高领导机关是中华全国总工会全国代表大会及其____。",
        [],
        "执行委员会|执委会",
        "",
    ),
    ("填空", "每年的____月____日是国际劳动节（用“5-1”的形式填写）。", [], "5-1|5—1|5月1日", ""),
]


def _question_rows() -> list[list]:
    rows = []
    for kind, text, options, answer, explanation in DEMO_QUESTIONS:
        cells = [*options, *[""] * (6 - len(options))]
        rows.append([kind, text, *cells, answer, explanation])
    return rows


def _demo_answers(attempt) -> dict[str, str]:

    texts = {text: answer for _kind, text, _options, answer, _e in DEMO_QUESTIONS}
    return {
        str(q.pk): texts[q.text].split("|")[0]
        for q in LearningQuestion.objects.filter(pk__in=attempt.question_ids)
    }


def _learning_test_course(users) -> None:

    chair = users["chair"]
    course = learning_actions.do_create_learning_course(
        actor=chair,
        title=LEARNING_TEST_COURSE,
        org_unit=OrgUnit.objects.get(code="U"),
        kind="online",
        hours="2",
        description="面向全体会员的工会基础知识课程：工会法、职工代表大会、集体协商与会费制度。",
        material=(
            "一、工会的性质：工会是中国共产党领导的职工自愿结合的工人阶级群众组织。\n"
            "二、职工代表大会是企业实行民主管理的基本形式，企业工会委员会是其工作机构。\n"
            "三、集体协商：劳动报酬、工作时间、休息休假、劳动安全卫生等。\n"
            "四、会费：会员每月按本人工资收入的 0.5% 缴纳。"
        ),
        test_questions=5,
        test_minutes=30,
        test_attempts=3,
        pass_mark=60,
    )
    test_actions.do_import_learning_questions(actor=chair, course=course, rows=_question_rows())
    learning_actions.do_publish_learning_course(actor=chair, course=course)
    for name in ("rep1", "branch1"):
        enrolment = learning_actions.do_enrol_learning(actor=users[name], course=course)
        attempt = test_actions.do_start_learning_attempt(actor=users[name], enrolment=enrolment)
        test_actions.do_submit_learning_attempt(
            actor=users[name], attempt=attempt, answers=_demo_answers(attempt)
        )
    learning_actions.do_assign_learning(actor=chair, course=course, workers=[users["worker2"]])


def _learning_rep_course(users) -> None:

    chair = users["chair"]
    course = learning_actions.do_create_learning_course(
        actor=chair,
        title=LEARNING_REP_COURSE,
        org_unit=OrgUnit.objects.get(code="U"),
        kind="online",
        hours="4",
        description="职工代表培训：提案的撰写、职代会的议程与表决、代表巡视。",
        material="职工代表应当密切联系职工，如实反映职工的意见和要求……",
    )
    learning_actions.do_publish_learning_course(actor=chair, course=course)
    enrolment = learning_actions.do_enrol_learning(actor=users["rep1"], course=course)
    learning_actions.do_finish_learning_material(actor=users["rep1"], enrolment=enrolment)


def _learning_room_course(users) -> None:

    branch1 = users["branch1"]
    today = timezone.localdate()
    course = learning_actions.do_create_learning_course(
        actor=branch1,
        title=LEARNING_ROOM_COURSE,
        org_unit=OrgUnit.objects.get(code="B1"),
        kind="classroom",
        hours="3",
        description="一线岗位的安全操作规程与隐患识别，现场讲解并演练。",
    )
    held = learning_actions.do_add_learning_session(
        actor=branch1,
        course=course,
        starts_at=_at(today + dt.timedelta(days=1), 14),
        ends_at=_at(today + dt.timedelta(days=1), 17),
        place="一车间会议室",
        capacity=30,
    )
    learning_actions.do_add_learning_session(
        actor=branch1,
        course=course,
        starts_at=_at(today + dt.timedelta(days=7), 14),
        ends_at=_at(today + dt.timedelta(days=7), 17),
        place="一车间会议室",
        capacity=30,
    )
    learning_actions.do_publish_learning_course(actor=branch1, course=course)
    seats = [
        learning_actions.do_enrol_learning(actor=users[n], course=course, session=held)
        for n in ("worker1", "rep1")
    ]
    # The session is under way (roll call), then moved to where it took place, last month.
    now = timezone.now()
    LearningSession.objects.filter(pk=held.pk).update(
        starts_at=now - dt.timedelta(minutes=30), ends_at=now + dt.timedelta(hours=2)
    )
    held.refresh_from_db()
    for seat in seats:
        learning_actions.do_check_in_learning(actor=branch1, session=held, enrolment_id=seat.pk)
    last_month = max(today - dt.timedelta(days=30), dt.date(today.year, 1, 1))
    LearningSession.objects.filter(pk=held.pk).update(
        starts_at=_at(last_month, 14), ends_at=_at(last_month, 17)
    )


def _learning_plans(users) -> None:

    year = timezone.localdate().year
    unit = OrgUnit.objects.get(code="U")
    for title, audience, target in (
        ("全员岗位技能培训", "all", "8"),
        ("工会干部培训", "cadres", "16"),
        ("职工代表培训", "representatives", "12"),
    ):
        learning_actions.do_create_learning_plan(
            actor=users["chair"],
            org_unit=unit,
            year=year,
            title=title,
            audience=audience,
            hours_target=target,
        )
    learning_actions.do_create_learning_plan(
        actor=users["branch1"],
        org_unit=OrgUnit.objects.get(code="B1"),
        year=year,
        title="一分会学习型班组",
        audience="all",
        hours_target="10",
    )


@transaction.atomic
def ensure_demo_learning() -> int:
    """The demo year of training (see above); nothing is added when it is there already."""

    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["chair", "branch1", "rep1", "worker1", "worker2"]
        )
    }
    if not LearningCourse.objects.filter(title=LEARNING_TEST_COURSE).exists():
        _learning_test_course(users)
        _learning_rep_course(users)
        _learning_room_course(users)
        _learning_plans(users)
    return LearningCourse.objects.count()
