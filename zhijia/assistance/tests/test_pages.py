"""The pages, driven as a browser would: a worker applies from the phone form and follows the
status; cadres review with the home visit, publish, see the approval refused during the notice,
prepare and approve the payment run; the registry, ledger, statement export and visit pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhijia.assistance.models import (
    Application,
    Campaign,
    Fund,
    HardshipFile,
    LedgerEntry,
    PaymentRun,
    Visit,
)
from zhijia.assistance.tests.support import (
    after_notice,
    make_cadre,
    make_campaign,
    member_of,
    to_state,
)
from zhijia.core.models import Attachment

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_worker_applies_from_the_form_and_follows_the_status(personas, login):
    campaign = make_campaign(personas["chair"], name="2026年金秋助学", kind="education")
    worker = login("worker1")
    page = worker.get("/assistance/mine/")
    assert page.status_code == 200
    assert "2026年金秋助学" in page.content.decode()
    form = worker.get(f"/assistance/apply/{campaign.pk}/").content.decode()
    assert "录取通知书" in form and "子女姓名" in form and 'enctype="multipart/form-data"' in form
    # Errors next to the fields, in Chinese.
    bad = worker.post(f"/assistance/apply/{campaign.pk}/", {"amount": "6000", "situation": ""})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "申请金额不能超过本活动单笔上限 ¥5000.00" in html
    assert 'id="id_situation_error"' in html and 'id="id_doc_0_error"' in html
    response = worker.post(
        f"/assistance/apply/{campaign.pk}/",
        {
            "amount": "4000",
            "situation": "女儿考上大学，学费无力负担",
            "answer_student": "陈晓",
            "answer_school": "太原理工大学",
            "answer_tuition": "5600",
            "doc_0": SimpleUploadedFile("通知书.png", PNG, content_type="image/png"),
            "doc_1": SimpleUploadedFile("收据.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    assert response["Location"] == f"/assistance/applications/{application.pk}/"
    detail = worker.get(response["Location"]).content.decode()
    assert "待初审" in detail and "女儿考上大学" in detail and "录取通知书" in detail
    # The documents download for the applicant and the branch cadre, not for others.
    att = Attachment.objects.filter(owner_id=str(application.pk)).first()
    from django.urls import reverse

    url = reverse("files:attachment-download", args=[att.pk])
    assert worker.get(url).status_code == 200
    assert login("branch1").get(url).status_code == 200
    assert login("branch2").get(url).status_code == 404
    assert login("rep1").get(url).status_code == 404


def test_cadre_pages_take_an_application_to_payment(personas, login):
    campaign = make_campaign(personas["chair"])
    application = to_state("submitted", personas=personas, campaign=campaign)
    branch1 = login("branch1")
    url = f"/assistance/applications/{application.pk}/"
    page = branch1.get(url).content.decode()
    assert "初审（须附入户核查记录）" in page and "丈夫患尿毒症" in page
    # The review needs its home-visit record.
    bad = branch1.post(f"{url}review/", {"visited_on": "", "visitors": "", "category": "deep"})
    assert bad.status_code == 400
    ok = branch1.post(
        f"{url}review/",
        {
            "visited_on": dt.date.today().isoformat(),
            "visitors": "李春梅",
            "findings": "情况属实",
            "category": "deep",
            "amount": "1800",
        },
    )
    assert ok.status_code == 302
    page = branch1.get(url).content.decode()
    assert "发布公示" in page and "第一分工会" in page
    from zhijia.org.models import OrgUnit

    b1 = OrgUnit.objects.get(code="B1")
    assert (
        branch1.post(f"{url}publish/", {"notice_unit": b1.pk, "workdays": "5"}).status_code == 302
    )
    application.refresh_from_db()
    assert application.state == "notice"
    # The chair may not approve yet: the page says why.
    chair = login("chair")
    refused = chair.post(f"{url}approve/", {"amount": "", "note": ""})
    assert refused.status_code == 400
    assert "公示期未满" in refused.content.decode()
    with after_notice(application):
        # A fresh sign-in: the cadre's session would have timed out over the notice period.
        later = login("chair").post(f"{url}approve/", {"amount": "1800", "note": "同意"})
        assert later.status_code == 302 and later["Location"] == url
    application.refresh_from_db()
    assert application.state == "approved" and application.amount_approved == Decimal("1800")
    # branch1 prepares the payment run; the chair approves it.
    runs = branch1.get("/assistance/payment-runs/").content.decode()
    assert campaign.fund.name in runs
    form = branch1.get(f"/assistance/payment-runs/new/{campaign.fund_id}/").content.decode()
    assert "陈小红" in form
    created = branch1.post(
        f"/assistance/payment-runs/new/{campaign.fund_id}/",
        {"title": "一分会送温暖第一批", "applications": [str(application.pk)]},
    )
    assert created.status_code == 302
    run = PaymentRun.objects.get()
    assert run.prepared_by == personas["branch1"]
    own = branch1.get(f"/assistance/payment-runs/{run.pk}/").content.decode()
    assert "须由另一位干部审核" in own
    approved = chair.post(f"/assistance/payment-runs/{run.pk}/approve/", {"note": "同意发放"})
    assert approved.status_code == 302
    application.refresh_from_db()
    assert application.state == "paid"
    assert Fund.objects.get(pk=campaign.fund_id).balance == Decimal("8200.00")
    assert "已发放" in login("worker1").get(url).content.decode()


def test_campaign_creation_page(personas, login):
    chair = login("chair")
    from zhijia.org.models import OrgUnit

    u = OrgUnit.objects.get(code="U")
    response = chair.post(
        "/assistance/campaigns/new/",
        {
            "name": "2026年大病互助",
            "kind": "illness",
            "org_unit": u.pk,
            "year": "2026",
            "required_documents": "诊断证明\n住院发票",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.required_documents == ["诊断证明", "住院发票"]
    assert campaign.amount_cap == Decimal("20000")  # the default of its kind
    assert campaign.fund.name == "2026年大病互助专项资金"
    page = chair.get(f"/assistance/campaigns/{campaign.pk}/").content.decode()
    assert "诊断证明、住院发票" in page
    # A branch cadre cannot run a campaign for the committee's unit.
    response = login("branch1").post(
        "/assistance/campaigns/new/",
        {"name": "x", "kind": "warmth", "org_unit": u.pk, "year": "2026"},
    )
    assert response.status_code == 400 and 'id="id_org_unit_error"' in response.content.decode()
    assert Campaign.objects.count() == 1


def test_registry_pages(personas, login):
    branch1 = login("branch1")
    member = member_of(personas["worker1"])
    response = branch1.post(
        "/assistance/files/new/",
        {
            "member": member.pk,
            "causes": ["illness", "single_parent"],
            "applicant_monthly_income": "2400",
            "medical_details": "乳腺癌术后化疗",
        },
    )
    assert response.status_code == 302
    file = HardshipFile.objects.get()
    url = f"/assistance/files/{file.pk}/"
    assert (
        branch1.post(
            f"{url}household/",
            {"relation": "child", "age": "10", "monthly_income": "0", "health": "healthy"},
        ).status_code
        == 302
    )
    assert (
        branch1.post(f"{url}expenses/", {"kind": "medical", "monthly_amount": "600"}).status_code
        == 302
    )
    page = branch1.get(url).content.decode()
    assert "乳腺癌术后化疗" in page and "深度困难" in page and "¥900.00" in page
    assert login("branch2").get(url).status_code == 404
    bad = branch1.post(f"{url}exit/", {"reason": "other", "note": ""})
    assert bad.status_code == 400 and "请说明退出原因" in bad.content.decode()
    assert branch1.post(f"{url}exit/", {"reason": "income_improved"}).status_code == 302
    page = branch1.get(url).content.decode()
    assert "已退出" in page and "档案销毁日期" in page
    listing = branch1.get("/assistance/files/?status=exited").content.decode()
    assert "陈小红" in listing


def test_fund_pages_income_reversal_and_export(personas, login):
    campaign = make_campaign(personas["chair"], income="1000")
    chair = login("chair")
    url = f"/assistance/funds/{campaign.fund_id}/"
    assert (
        chair.post(
            f"{url}income/", {"kind": "donation", "amount": "250.5", "description": "职工捐款"}
        ).status_code
        == 302
    )
    entry = LedgerEntry.objects.get(kind="donation")
    bad = chair.post(f"/assistance/entries/{entry.pk}/reverse/", {"reason": ""})
    assert bad.status_code == 400
    assert (
        chair.post(f"/assistance/entries/{entry.pk}/reverse/", {"reason": "重复登记"}).status_code
        == 302
    )
    page = chair.get(url).content.decode()
    assert "已冲正" in page and "¥1000.00" in page
    month = dt.date.today().strftime("%Y-%m")
    statement = chair.get(f"{url}statement/?month={month}").content.decode()
    assert "期末余额" in statement and "职工捐款" in statement
    export = chair.get(f"{url}statement/export/?month={month}")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export.content[:2] == b"PK"
    query = f"unit={campaign.org_unit_id}&year={dt.date.today().year}&payroll=5000000"
    recon = chair.get(f"/assistance/reconciliation/?{query}").content.decode()
    assert "100000.00" in recon and "40000.00" in recon and "60000.00" in recon


def test_maker_checker_on_the_run_page(personas, login):
    campaign = make_campaign(personas["chair"])
    application = to_state("approved", personas=personas, campaign=campaign)
    chair = login("chair")
    created = chair.post(
        f"/assistance/payment-runs/new/{campaign.fund_id}/",
        {"applications": [str(application.pk)]},
    )
    assert created.status_code == 302
    run = PaymentRun.objects.get()
    page = chair.get(f"/assistance/payment-runs/{run.pk}/").content.decode()
    assert "审核通过并发放" not in page
    refused = chair.post(f"/assistance/payment-runs/{run.pk}/approve/", {"note": ""})
    assert refused.status_code == 403
    assert "制单人不能审核自己编制的发放批次" in refused.content.decode()
    make_cadre("finance1", "U", "钱会计")
    from django.test import Client

    checker = Client()
    from zhijia.accounts.models import User

    checker.force_login(User.objects.get(username="finance1"))
    assert "审核通过并发放" in checker.get(f"/assistance/payment-runs/{run.pk}/").content.decode()
    assert checker.post(f"/assistance/payment-runs/{run.pk}/approve/", {}).status_code == 302
    assert PaymentRun.objects.get(pk=run.pk).status == "paid"


def test_visit_pages(personas, login):
    branch1 = login("branch1")
    member = member_of(personas["worker1"])
    response = branch1.post(
        "/assistance/visits/new/",
        {"member": member.pk, "kind": "festival", "planned_on": dt.date.today().isoformat()},
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    url = f"/assistance/visits/{visit.pk}/"
    assert (
        branch1.post(
            f"{url}complete/",
            {
                "visited_on": dt.date.today().isoformat(),
                "visitors": "李春梅、赵卫东",
                "gifts": "米一袋、油一桶",
                "money": "500",
                "findings": "精神状态良好",
            },
        ).status_code
        == 302
    )
    photo = SimpleUploadedFile("合影.png", PNG, content_type="image/png")
    assert branch1.post(f"{url}photos/", {"photo": photo}).status_code == 302
    not_image = SimpleUploadedFile("记录.txt", b"hello", content_type="text/plain")
    bad = branch1.post(f"{url}photos/", {"photo": not_image})
    assert bad.status_code == 400 and "不支持的文件类型" in bad.content.decode()
    page = branch1.get(url).content.decode()
    assert "米一袋、油一桶" in page and "精神状态良好" in page and "合影.png" in page
    visit.refresh_from_db()
    assert visit.status == "done" and visit.money == Decimal("500")
    listing = login("chair").get("/assistance/visits/?status=done").content.decode()
    assert "陈小红" in listing
    assert login("branch2").get(url).status_code == 404
    # A refused step without input answers the page with its status and says why on top.
    refused = branch1.post(f"{url}cancel/")
    assert refused.status_code == 409 and "只能取消计划中的走访" in refused.content.decode()
    visit.refresh_from_db()
    assert visit.status == "done"


def test_a_refused_withdrawal_says_why_on_the_page(personas, login):
    campaign = make_campaign(personas["chair"])
    application = to_state("notice", personas=personas, campaign=campaign)
    refused = login("worker1").post(f"/assistance/applications/{application.pk}/withdraw/")
    assert refused.status_code == 409
    assert 'role="alert"' in refused.content.decode()
    application.refresh_from_db()
    assert application.state == "notice"


def test_settings_page(personas, login):
    chair = login("chair")
    page = chair.get("/assistance/settings/").content.decode()
    assert "目前使用系统默认参数" in page
    response = chair.post(
        "/assistance/settings/",
        {
            "dibao_line": "880",
            "relative_factor": "2",
            "accident_loss_ratio": "0.8",
            "notice_workdays": "5",
            "retention_years": "10",
            "review_interval_months": "12",
        },
    )
    assert response.status_code == 302
    branch_page = login("branch1").get("/assistance/settings/").content.decode()
    assert "沿用示例能源集团工会委员会的参数" in branch_page and "880.00" in branch_page
