"""The member's pages, as the browser test walks them: enrol, start the test, answer through
the form's fields (a multiple choice as several boxes), hand in, the result with the review,
the certificate's verification link on the course page; and the cadre's Excel template."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhijia.services import learning_rules as rules
from zhijia.services.models import LearningAttempt, LearningQuestion
from zhijia.services.tests.learning_support import published_course

pytestmark = pytest.mark.django_db


def test_worker_takes_the_test_through_the_pages(personas, login):
    cadre = personas["branch1"]
    rows = [
        ["多选", "多选题", "甲", "乙", "丙", "", "", "", "AC", "甲和丙"],
        ["填空", "填空题", "", "", "", "", "", "", "工会", ""],
    ]
    course = published_course(cadre, draw=2, rows=rows)
    worker = login("worker1")
    url = reverse("services:learning-course", args=[course.pk])
    assert "报名学习" in worker.get(url).content.decode()
    assert worker.post(reverse("services:learning-enrol", args=[course.pk])).status_code == 302
    started = worker.post(reverse("services:learning-test-start", args=[course.pk]))
    attempt = LearningAttempt.objects.get(enrolment__course=course)
    assert started["Location"] == reverse("services:learning-attempt", args=[attempt.pk])
    page = worker.get(started["Location"]).content.decode()
    assert page.count('class="card question"') == 2 and "data-confirm" in page
    ids = {q.text: q.pk for q in LearningQuestion.objects.filter(course=course)}
    answers = {f"q{ids['多选题']}": ["A", "C"], f"q{ids['填空题']}": "工会"}
    submitted = worker.post(reverse("services:learning-attempt-submit", args=[attempt.pk]), answers)
    assert submitted.status_code == 302
    result = worker.get(submitted["Location"]).content.decode()
    assert "100 分" in result and "全部答对" in result and "下载证书 PDF" in result
    course_page = worker.get(url).content.decode()
    link = re.search(r'class="verify-link" href="([^"]+)"', course_page).group(1)
    public = Client().get(link)
    assert public.status_code == 200 and "有效" in public.content.decode()
    # a second hand-in of the same attempt is refused on the page, not a server error
    again = worker.post(reverse("services:learning-attempt-submit", args=[attempt.pk]), answers)
    assert again.status_code == 409 and "已交卷" in again.content.decode()


def test_the_bank_template_reads_back_without_errors(personas, login):
    response = login("branch1").get(reverse("services:learning-desk-questions-template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [c for c in rows[0]] == rules.TEMPLATE_HEADERS
    assert all(
        isinstance(rules.parse_question_row(list(r)), rules.ParsedQuestion) for r in rows[1:]
    )


def test_material_files_pdf_and_video_by_content_and_their_readers(
    personas, login, private_storage
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    cadre = personas["branch1"]
    course = published_course(cadre, bank=2, draw=1)
    desk = login("branch1")
    url = reverse("services:learning-desk-material", args=[course.pk])
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    ok = desk.post(url, {"file": SimpleUploadedFile("第一课.mp4", mp4, "video/mp4")})
    assert ok.status_code == 302
    exe = desk.post(url, {"file": SimpleUploadedFile("课件.mp4", b"MZ\x90\x00" + b"\x00" * 64)})
    assert exe.status_code == 400 and "不支持的文件类型" in exe.content.decode()
    page = login("worker1").get(reverse("services:learning-course", args=[course.pk]))
    assert "第一课.mp4" in page.content.decode()
    link = re.search(r'href="(/files/[^"]+)"', page.content.decode()).group(1)
    assert login("worker1").get(link).status_code == 200
    assert login("worker2").get(link).status_code == 404  # another branch's course


def test_a_bad_bank_file_shows_its_row_errors_next_to_the_file(personas, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhijia.core import excel

    course = published_course(personas["branch1"], bank=2, draw=1)
    rows = [
        ["单选", "好题", "甲", "乙", "", "", "", "", "A", ""],
        ["判断", "坏题", *[""] * 6, "也许", ""],
    ]
    data = excel.xlsx_bytes(excel.Sheet("题库", rules.TEMPLATE_HEADERS, rows))
    response = login("branch1").post(
        reverse("services:learning-desk-questions-import", args=[course.pk]),
        {"file": SimpleUploadedFile("题库.xlsx", data)},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "第 3 行：判断题的答案应为 对 或 错" in page and "未导入任何题目" in page
    assert LearningQuestion.objects.filter(course=course).count() == 2
