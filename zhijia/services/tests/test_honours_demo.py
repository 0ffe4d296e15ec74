"""seed-demo's honours: a plausible registry on the pages (我的荣誉 and its home card, the
member's record page, the registry, care, the "五型" assessments, the studio), and a second run
adds nothing."""

from __future__ import annotations

import pytest

from zhijia.core.models import AuditEvent
from zhijia.org.models import Member
from zhijia.services.honours_demo import ensure_demo_honours
from zhijia.services.models import (
    Honour,
    HonourAssessment,
    HonourCareRecord,
    HonourStudio,
    HonourStudioResult,
)

pytestmark = pytest.mark.django_db


def today_is_early() -> bool:
    """Before the end of February nothing of this year is overdue yet."""
    from django.utils import timezone

    return timezone.localdate().month <= 2


def _counts() -> tuple:
    models = (Honour, HonourAssessment, HonourCareRecord, HonourStudio, HonourStudioResult)
    return (*(m.objects.count() for m in models), AuditEvent.objects.count())


def test_demo_fills_the_pages_and_is_idempotent(personas, login):
    ensure_demo_honours()
    first = _counts()
    assert first[:5] == (9, 2, 3, 1, 2)  # 8 recorded + the 五型班组 honour of the review
    ensure_demo_honours()
    assert _counts() == first

    worker = login("worker1")
    home = worker.get("/").content.decode()
    assert "我的荣誉" in home and "全部 2 项荣誉" in home
    mine = worker.get("/services/honours/").content.decode()
    assert "集团公司劳动模范" in mine and "陈小红劳模创新工作室" in mine
    cadre = login("branch1")
    profile = cadre.get(f"/org/members/{Member.objects.get(user=personas['worker1']).pk}/")
    assert "集团技术能手（继电保护）" in profile.content.decode()
    desk = cadre.get("/services/honours/desk/").content.decode()
    assert "市工人先锋号" in desk and "“五型”班组" in desk
    assert "省劳动模范" not in desk  # branch2's
    care = login("chair").get("/services/honours/care/").content.decode()
    # chair, branch2, rep1 and worker1 hold a 劳动模范 honour: 4 × 3 care items, 3 done
    assert "已完成 3 项" in care
    if not today_is_early():  # 走访慰问 is due by the end of February
        assert "逾期未完成 0 项" not in care
    teams = login("chair").get("/services/honours/teams/").content.decode()
    assert "发电一班组" in teams and "变电班组" in teams
    studio = HonourStudio.objects.get()
    page = cadre.get(f"/services/honours/studios/{studio.pk}/").content.decode()
    assert "一种继电保护校验用快速接线装置" in page
