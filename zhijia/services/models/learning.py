"""Learning (培训, 学习型组织).

A course (`LearningCourse`, workflow `services.learning_course`: draft → published → closed)
of a union unit is open to the members of that unit's subtree. It is online material (text and
PDF files, kept through zhijia.core.attachments) or classroom teaching in sessions
(`LearningSession`: place, time, capacity; attendance by the member's QR code or the cadre's
roll call, `LearningAttendance`). A member enrols herself or is assigned by a cadre
(`LearningEnrolment`, one per member and course); finishing the material, attending a session
or passing the test completes the enrolment and credits the course's hours once, to the year
of completion, and issues a certificate (`LearningCertificate`) whose unguessable token opens
the public verification page.

A course may have a question bank (`LearningQuestion`: single choice, multiple choice,
true/false, fill-in) and an online test: N questions drawn at random per attempt
(`LearningAttempt`), a time limit enforced by the server (an attempt's deadline), the attempts
allowed and the pass mark.

Training plans (`LearningPlan`) per unit and year set an hours target per worker for an
audience: every member, the cadres (工会干部培训) or the representatives (职工代表培训).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord

__all__ = [
    "LearningAttempt",
    "LearningAttendance",
    "LearningCertificate",
    "LearningCourse",
    "LearningEnrolment",
    "LearningPlan",
    "LearningQuestion",
    "LearningSession",
]


class LearningCourse(WorkflowRecord):
    """A course (课程) of a union unit, open to the members of its subtree once published."""

    class Kind(models.TextChoices):
        ONLINE = "online", _("线上学习")
        CLASSROOM = "classroom", _("课堂培训")

    title = models.CharField(_("课程名称"), max_length=100)
    description = models.TextField(_("课程简介"), blank=True)
    kind = models.CharField(_("形式"), max_length=16, choices=Kind.choices)
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("主办单位")
    )
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    material = models.TextField(_("学习资料"), blank=True)
    # The online test: 0 questions means the course has none.
    test_questions = models.PositiveSmallIntegerField(_("每次抽题数"), default=0)
    test_minutes = models.PositiveSmallIntegerField(_("答题时限（分钟）"), default=30)
    test_attempts = models.PositiveSmallIntegerField(_("允许次数"), default=3)
    pass_mark = models.PositiveSmallIntegerField(_("及格分"), default=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="learning_course_hours_min"),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=1) & Q(pass_mark__lte=100),
                name="learning_course_pass_mark",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_test(self) -> bool:
        return self.test_questions > 0

    @property
    def state_label(self) -> str:
        from zhijia.core.workflow import workflow_of

        return str(workflow_of(self).state_label(self.state))


class LearningSession(models.Model):
    """A classroom session (课堂) of a course: when, where, how many seats."""

    course = models.ForeignKey(LearningCourse, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("容纳人数"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训课堂")
        verbose_name_plural = _("培训课堂")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="learning_session_capacity"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="learning_session_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d %H:%M}"


class LearningEnrolment(models.Model):
    """A member on a course: enrolled by herself or assigned; completed once, hours once."""

    class Source(models.TextChoices):
        SELF = "self", _("自主报名")
        ASSIGNED = "assigned", _("组织指派")

    class How(models.TextChoices):
        NONE = "", _("未完成")
        MATERIAL = "material", _("完成线上学习")
        ATTENDED = "attended", _("参加课堂")
        TEST = "test", _("通过测试")

    course = models.ForeignKey(LearningCourse, on_delete=models.PROTECT, related_name="enrolments")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A classroom course's seat: the session the member chose (capacity counted on it).
    session = models.ForeignKey(
        LearningSession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("课堂"),
    )
    source = models.CharField(_("报名方式"), max_length=16, choices=Source.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("报名时间"))
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completed_how = models.CharField(
        _("完成方式"), max_length=16, choices=How.choices, blank=True, default=""
    )
    # Credited once, on completion, to the year of completion.
    hours_credited = models.DecimalField(
        _("计入学时"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    credit_year = models.PositiveSmallIntegerField(_("学时年度"), null=True, blank=True)
    rating = models.CharField(_("满意度"), max_length=16, blank=True, default="")
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["-enrolled_at", "-id"]
        indexes = [models.Index(fields=["worker", "credit_year"])]
        constraints = [
            models.UniqueConstraint(fields=["course", "worker"], name="learning_one_enrolment"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True, hours_credited__isnull=True)
                | Q(completed_at__isnull=False, hours_credited__isnull=False),
                name="learning_hours_on_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.worker}"

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


class LearningAttendance(models.Model):
    """A member's presence at a session: by her QR code or the cadre's roll call."""

    class Method(models.TextChoices):
        QR = "qr", _("扫码签到")
        ROLL_CALL = "roll_call", _("点名")

    session = models.ForeignKey(
        LearningSession, on_delete=models.PROTECT, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        LearningEnrolment, on_delete=models.PROTECT, related_name="attendances"
    )
    method = models.CharField(_("签到方式"), max_length=16, choices=Method.choices)
    checked_in_at = models.DateTimeField(_("签到时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("课堂签到")
        verbose_name_plural = _("课堂签到")
        ordering = ["checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="learning_one_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.get_method_display()}"


class LearningQuestion(models.Model):
    """A question of a course's bank. `options` lists the choices (none for true/false and
    fill-in); `answer` is the key: option letters ("A", "AC"), "对"/"错", or the accepted
    fill-in answers separated by "|"."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("单选题")
        MULTIPLE = "multiple", _("多选题")
        TRUE_FALSE = "true_false", _("判断题")
        FILL = "fill", _("填空题")

    course = models.ForeignKey(LearningCourse, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(_("题型"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("题目"))
    options = models.JSONField(_("选项"), default=list, blank=True)
    answer = models.CharField(_("答案"), max_length=200)
    explanation = models.TextField(_("解析"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题库")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:40]


class LearningAttempt(models.Model):
    """One sitting of a course's test: the questions drawn, the answers, the deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("答题中")
        SUBMITTED = "submitted", _("已交卷")

    class ClosedBy(models.TextChoices):
        NONE = "", _("—")
        WORKER = "worker", _("本人交卷")
        SERVER = "server", _("超时系统收卷")

    enrolment = models.ForeignKey(
        LearningEnrolment, on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("第几次"))
    question_ids = models.JSONField(default=list)
    # {question id (str): the answer given, as text}
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    started_at = models.DateTimeField(_("开始时间"))
    deadline = models.DateTimeField(_("截止时间"))
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    closed_by = models.CharField(
        _("收卷方式"), max_length=16, choices=ClosedBy.choices, blank=True, default=""
    )
    correct = models.PositiveSmallIntegerField(_("答对题数"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    passed = models.BooleanField(_("是否通过"), null=True, blank=True)

    class Meta:
        verbose_name = _("测试记录")
        verbose_name_plural = _("测试记录")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "number"], name="learning_attempt_number"),
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(status="open"), name="learning_one_open_attempt"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} #{self.number}"


class LearningCertificate(models.Model):
    """The certificate (结业证书) of a completed enrolment; the token opens the public page."""

    enrolment = models.OneToOneField(
        LearningEnrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("证书编号"), max_length=32, unique=True)
    token = models.CharField(max_length=64, unique=True, editable=False)
    issued_on = models.DateField(_("颁发日期"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("培训证书")
        verbose_name_plural = _("培训证书")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class LearningPlan(models.Model):
    """A unit's training plan of a year: an hours target per worker of its audience, in the
    unit's subtree."""

    class Audience(models.TextChoices):
        ALL = "all", _("全体职工")
        CADRES = "cadres", _("工会干部培训")
        REPRESENTATIVES = "representatives", _("职工代表培训")

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=100)
    audience = models.CharField(_("培训对象"), max_length=16, choices=Audience.choices)
    hours_target = models.DecimalField(_("每人目标学时"), max_digits=5, decimal_places=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训计划")
        verbose_name_plural = _("培训计划")
        ordering = ["-year", "org_unit__path", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "audience"], name="learning_one_plan"
            ),
            models.CheckConstraint(
                condition=Q(hours_target__gt=0), name="learning_plan_target_min"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"
