"""Online joining (网上入会): apply on the public page, review by the branch union in working
days, approval creates the member and its account and sends the activation code."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from zhijia.core import workdays
from zhijia.core.models import AuditEvent, Notification, WorkflowEvent
from zhijia.org.actions import joining as actions
from zhijia.org.actions import members as org_actions
from zhijia.org.actions.joining import JoinRefused
from zhijia.org.models import Department, JoinApplication, Member, OrgUnit
from zhijia.org.tests.member_factory import valid_id_number

JOIN_URL = "/org/join/"
STATUS_URL = "/org/join/status/"
QUEUE_URL = "/org/join/review/"
HAS_ACTIVATION = importlib.util.find_spec("zhijia.accounts.actions.activation") is not None


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=workdays.CHINA_TZ)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the submission brake and the receipt-code limit live in the cache
    yield
    cache.clear()


def form_data(**overrides) -> dict:
    data = {
        "name": "王小燕",
        "id_number": valid_id_number("F"),
        "phone": "138 0013 8000",
        "org_unit": str(OrgUnit.objects.get(code="B1-G1").pk),
        "department": str(Department.objects.get(code="D-PROD").pk),
        "employment_type": Member.EmploymentType.DISPATCHED,
        "pledge": "on",
        "statement": "希望参加工会活动",
        "consent": "on",
    }
    data.update(overrides)
    return data


def submit(**overrides) -> actions.JoinReceipt:
    fields = {
        "name": "王小燕",
        "id_number": valid_id_number("F"),
        "phone": "13800138000",
        "org_unit": OrgUnit.objects.get(code="B1-G1"),
        "department": None,
        "employment_type": Member.EmploymentType.REGULAR,
        "statement": "",
        "pledge": True,
        "consent": True,
    }
    fields.update(overrides)
    return actions.do_submit_join_application(actor=None, **fields)


def status_page(code: str, last4: str):
    return Client().post(STATUS_URL, {"code": code, "phone_last4": last4})


# --- applying -------------------------------------------------------------------------------------


def test_public_page_needs_no_sign_in_and_explains_personal_information(personas):
    response = Client().get(JOIN_URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "个人信息处理说明" in text and "敏感个人信息" in text
    assert "第一分工会" in text and "发电一班组" in text
    assert "示例能源集团工会委员会</option>" not in text  # one joins through a branch
    assert 'style="' not in text and "<style" not in text
    assert 'name="csrfmiddlewaretoken"' in text


def test_apply_on_the_page_gives_a_receipt_and_tells_the_branch_cadre(personas):
    client = Client(enforce_csrf_checks=False)
    id_number = valid_id_number("F")
    response = client.post(JOIN_URL, form_data(id_number=id_number))
    assert response.status_code == 200
    code = response.context["code"]
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert code in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    application = JoinApplication.objects.get()
    assert application.state == "submitted"
    assert application.gender == "F"  # from the 身份证号
    assert application.get_id_number() == id_number
    assert id_number not in application.id_number_encrypted
    assert application.id_number_masked == id_number[:4] + "*" * 10 + id_number[-4:]
    assert application.phone == "13800138000"
    assert application.employment_type == Member.EmploymentType.DISPATCHED
    assert application.consent_version == actions.CONSENT_VERSION
    assert code.replace("-", "") not in application.receipt_digest
    # The branch union's cadre is told (not the committee above it), without personal data.
    note = Notification.objects.get(kind="org.join_submitted")
    assert note.user == personas["branch1"]
    assert "王小燕" not in note.title + note.body
    assert note.url == f"/org/join/review/{application.pk}/"
    assert AuditEvent.objects.filter(action="org.join.start").count() == 1


def test_the_form_refuses_bad_input_next_to_the_field(personas):
    response = Client().post(
        JOIN_URL,
        form_data(id_number="110101199001011230", phone="12345", consent="", pledge=""),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "校验位" in form.errors["id_number"][0]
    assert form.errors["phone"] and form.errors["consent"] and form.errors["pledge"]
    assert not JoinApplication.objects.exists()


def test_duplicate_id_numbers_are_refused_plainly(personas):
    worker = personas["worker1"].member_record
    with pytest.raises(JoinRefused) as exc:
        submit(id_number=worker.get_id_number(), name="别人")
    assert exc.value.status == 409 and exc.value.field == "id_number"
    assert "已是本会在册会员" in exc.value.message
    assert worker.name not in exc.value.message and worker.employee_no not in exc.value.message

    id_number = valid_id_number("M")
    submit(id_number=id_number)
    response = Client().post(JOIN_URL, form_data(id_number=id_number))
    assert response.status_code == 409
    assert "正在审核中" in response.context["form"].errors["id_number"][0]
    assert JoinApplication.objects.count() == 1

    # Once refused, the person may apply again.
    first = JoinApplication.objects.get()
    actions.do_refuse_join_application(
        actor=personas["branch1"], application=first, reason="请先与用人单位签订劳动合同"
    )
    again = submit(id_number=id_number)
    assert again.application.state == "submitted"


def test_a_former_member_is_sent_to_the_union(personas):
    worker = personas["worker2"].member_record
    org_actions.do_change_member_status(
        actor=personas["chair"], member=worker, status=Member.Status.RETIRED
    )
    with pytest.raises(JoinRefused) as exc:
        submit(id_number=worker.get_id_number())
    assert exc.value.status == 409 and "恢复会籍" in exc.value.message


def test_submissions_from_one_address_are_braked(personas, settings):
    settings.ZHIJIA_JOIN_SUBMITS_PER_HOUR = 2
    client = Client()
    for _ in range(2):
        assert client.post(JOIN_URL, form_data(id_number=valid_id_number())).status_code == 200
    response = client.post(JOIN_URL, form_data(id_number=valid_id_number()))
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert JoinApplication.objects.count() == 2


# --- deadlines in working days --------------------------------------------------------------------


def test_the_review_deadline_counts_working_days(personas, settings):
    settings.ZHIJIA_JOIN_REVIEW_WORKDAYS = 3
    with time_machine.travel(at(2026, 3, 6, 10), tick=False):  # a Friday
        application = submit().application
    # Mon 9, Tue 10, Wed 11: the weekend does not count.
    assert application.deadline_at == workdays.end_of_day(dt.date(2026, 3, 11))
    branch1 = personas["branch1"]
    with time_machine.travel(at(2026, 3, 11, 18), tick=False):
        client = Client()  # each visit its own session: the idle limit is 30 minutes
        client.force_login(branch1)
        response = client.get(QUEUE_URL)
        assert response.context["overdue"] == 0
        assert [a.pk for a in response.context["page"].items] == [application.pk]
    with time_machine.travel(at(2026, 3, 12, 9), tick=False):
        client = Client()
        client.force_login(branch1)
        response = client.get(QUEUE_URL, {"state": "overdue"})
        assert response.context["overdue"] == 1
        assert [a.pk for a in response.context["page"].items] == [application.pk]
        assert "已超期" in response.content.decode()


def test_the_default_deadline_is_ten_working_days(personas):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):  # a Monday
        application = submit().application
    assert application.deadline_at == workdays.end_of_day(dt.date(2026, 3, 16))


# --- review ---------------------------------------------------------------------------------------


def test_approval_creates_the_member_and_account_and_sends_the_code(personas, login):
    id_number = valid_id_number("F")
    receipt = submit(
        id_number=id_number, phone="13900001111", department=Department.objects.get(code="D-PROD")
    )
    application = receipt.application
    cadre = login("branch1")
    queue = cadre.get(QUEUE_URL)
    assert application.name in queue.content.decode()
    detail = cadre.get(f"/org/join/review/{application.pk}/")
    assert detail.status_code == 200 and detail.context["may_approve"]
    # A 工号 that exists already is refused next to the field.
    taken = personas["worker1"].member_record.employee_no
    response = cadre.post(
        f"/org/join/review/{application.pk}/", {"decision": "approve", "employee_no": taken}
    )
    assert response.status_code == 409
    assert "已被其他会员使用" in response.context["approve_form"].errors["employee_no"][0]

    response = cadre.post(
        f"/org/join/review/{application.pk}/", {"decision": "approve", "employee_no": "E9001"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "approved" and application.deadline_at is None
    member = Member.objects.get(employee_no="E9001")
    assert application.member == member
    assert member.org_unit.code == "B1-G1" and member.status == Member.Status.ACTIVE
    assert member.department.code == "D-PROD"
    assert member.join_date == timezone.localdate()
    assert member.get_id_number() == id_number
    # The application keeps the digest and masked form only; the member record has the number.
    assert application.id_number_encrypted == "" and application.id_number_masked
    account = member.user
    assert account is not None and account.is_active and not account.has_usable_password()
    for action in ("org.create_member", "org.join.approve"):
        assert AuditEvent.objects.filter(action=action).count() == 1
    # The applicant sees it with the receipt code.
    response = status_page(receipt.code, "1111")
    assert response.status_code == 200
    assert "E9001" in response.content.decode() and "已批准入会" in response.content.decode()
    if HAS_ACTIVATION:
        from zhijia.accounts.models import ActivationCode

        issued = ActivationCode.objects.get(user=account)
        assert issued.purpose == "activate" and issued.channel == "sms"
        assert AuditEvent.objects.filter(action="accounts.issue_activation_code").exists()


@pytest.mark.skipif(
    not HAS_ACTIVATION, reason="zhijia.accounts.actions.activation not on this branch"
)
def test_first_sign_in_with_the_activation_code(personas):
    from zhijia.accounts.actions import activation

    application = submit(phone="13900002222").application
    member = actions.do_approve_join_application(
        actor=personas["branch1"], application=application, employee_no="E9002"
    )
    sms = Notification.objects.get(user=member.user, kind=activation.KIND)
    code = re.search(r"\d{6}", sms.body).group(0)
    identifier = "E9002"
    user, key = activation.identify(
        identifier=identifier, id_tail=member.get_id_number()[-6:], ip="10.0.0.9"
    )
    assert user == member.user
    row = activation.check_code(user=user, key=key, code=code, ip="10.0.0.9")
    activation.do_complete_activation(
        user=user, password="Gonghui-2026-ok", purpose="activate", code=row
    )
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": identifier, "password": "Gonghui-2026-ok"}
    )
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "会员电子卡" in home.content.decode()
    # The member home shows the new member's own records (org's panel, zhijia.core.home).
    records = [p.context for p in home.context["panels"] if p.template == "org/_records_panel.html"]
    assert records and records[0]["member"] == member


def test_refusal_needs_a_reason_which_the_applicant_reads(personas, login):
    receipt = submit(phone="13700003333")
    application = receipt.application
    cadre = login("branch1")
    url = f"/org/join/review/{application.pk}/"
    response = cadre.post(url, {"decision": "refuse", "reason": "  "})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.state == "submitted"
    response = cadre.post(url, {"decision": "refuse", "reason": "您尚未与本企业建立劳动关系"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "refused" and application.reviewed_by == personas["branch1"]
    assert not Member.objects.filter(name="王小燕").exists()
    page = status_page(receipt.code.lower().replace("-", " "), "3333")
    assert page.status_code == 200
    text = page.content.decode()
    assert "未予批准" in text and "您尚未与本企业建立劳动关系" in text
    # A decided application cannot be decided again.
    with pytest.raises(JoinRefused) as exc:
        actions.do_approve_join_application(
            actor=personas["branch1"], application=application, employee_no="E9003"
        )
    assert exc.value.status == 409


def test_status_lookup_needs_code_and_phone_and_is_rate_limited(personas, settings):
    receipt = submit(phone="13600004444")
    assert status_page(receipt.code, "0000").status_code == 404
    assert status_page("AAAA-BBBB-CCCC-DDDD", "4444").status_code == 404
    assert status_page(receipt.code, "4444").status_code == 200
    settings.ZHIJIA_RECEIPT_FAILURES = 2
    client = Client()
    client.post(STATUS_URL, {"code": receipt.code, "phone_last4": "9999"})
    client.post(STATUS_URL, {"code": receipt.code, "phone_last4": "9999"})
    response = client.post(STATUS_URL, {"code": receipt.code, "phone_last4": "4444"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    # Phone endings of a known code cannot be walked from many addresses: wrong tries count for
    # the code too (ZHIJIA_RECEIPT_CODE_FAILURES), whoever types them.
    settings.ZHIJIA_RECEIPT_CODE_FAILURES = 3
    known = submit(phone="13600005555").code
    for n in range(3):
        other = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert other.post(STATUS_URL, {"code": known, "phone_last4": "8888"}).status_code == 404
    fresh = Client(REMOTE_ADDR="198.51.100.50")
    response = fresh.post(STATUS_URL, {"code": known, "phone_last4": "5555"})
    assert response.status_code == 429
    # The API answers with Retry-After too.
    api = fresh.get(f"/api/v1/org/join/status?code={known}&phone_last4=5555")
    assert api.status_code == 429 and int(api["Retry-After"]) >= 1


def test_scope_other_branch_sees_nothing_and_acts_on_nothing(personas, login):
    application = submit().application  # 第一分工会 / 发电一班组
    other = login("branch2")
    assert application.name not in other.get(QUEUE_URL).content.decode()
    url = f"/org/join/review/{application.pk}/"
    assert other.get(url).status_code == 404
    assert other.post(url, {"decision": "approve", "employee_no": "E9100"}).status_code == 404
    assert other.post(url, {"decision": "refuse", "reason": "不行"}).status_code == 404
    application.refresh_from_db()
    assert application.state == "submitted"
    assert login("worker1").get(QUEUE_URL).status_code == 403
    assert login("worker1").get(url).status_code == 404
    # The committee's cadre, above both branches, sees it.
    assert login("chair").get(url).status_code == 200
    # The action refuses as well (second line of defence).
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_approve_join_application(
            actor=personas["branch2"], application=application, employee_no="E9100"
        )


# --- API ------------------------------------------------------------------------------------------


def api_apply(client: Client, **overrides):
    payload = {
        "name": "刘建国",
        "id_number": valid_id_number("M"),
        "phone": "13500005555",
        "org_unit_id": OrgUnit.objects.get(code="B1").pk,
        "employment_type": "regular",
        "pledge": True,
        "consent": True,
    }
    payload.update(overrides)
    return client.post("/api/v1/org/join", payload, content_type="application/json")


def test_api_apply_status_list_approve_refuse(personas, api_client):
    anonymous = Client()
    response = api_apply(anonymous)
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    assert response.json()["state"] == "submitted"
    status = anonymous.get("/api/v1/org/join/status", {"code": code, "phone_last4": "5555"})
    assert status.status_code == 200 and status.json()["state_label"] == "待审核"
    assert (
        anonymous.get("/api/v1/org/join/status", {"code": code, "phone_last4": "1234"}).status_code
        == 404
    )
    # Bad input: 400 with a detail; malformed: 422; a duplicate: 409.
    bad = api_apply(anonymous, id_number="110101199001011230")
    assert bad.status_code == 400 and "校验位" in bad.json()["detail"]
    assert api_apply(anonymous, consent=False).status_code == 400
    assert api_apply(anonymous, org_unit_id="x").status_code == 422
    worker_id = personas["worker1"].member_record.get_id_number()
    dup = api_apply(anonymous, id_number=worker_id)
    assert dup.status_code == 409 and "在册会员" in dup.json()["detail"]

    cadre = api_client("branch1")
    listing = cadre.get("/api/v1/org/join/applications", {"per_page": 1})
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == 1 and body["items"][0]["name"] == "刘建国"
    assert body["items"][0]["id_number_masked"].count("*") == 10
    app_id = body["items"][0]["id"]
    assert api_client("branch2").get("/api/v1/org/join/applications").json()["count"] == 0
    assert api_client("worker1").get("/api/v1/org/join/applications").status_code == 403
    assert (
        api_client("branch2")
        .post(
            f"/api/v1/org/join/applications/{app_id}/approve",
            {"employee_no": "E9200"},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    approve = cadre.post(
        f"/api/v1/org/join/applications/{app_id}/approve",
        {"employee_no": "E9200"},
        content_type="application/json",
    )
    assert approve.status_code == 200, approve.content
    assert approve.json()["state"] == "approved" and approve.json()["employee_no"] == "E9200"
    again = cadre.post(
        f"/api/v1/org/join/applications/{app_id}/refuse",
        {"reason": "重复"},
        content_type="application/json",
    )
    assert again.status_code == 409

    second = api_apply(anonymous, phone="13500006666").json()
    pending = cadre.get("/api/v1/org/join/applications").json()["items"][0]["id"]
    no_reason = cadre.post(
        f"/api/v1/org/join/applications/{pending}/refuse",
        {"reason": ""},
        content_type="application/json",
    )
    assert no_reason.status_code == 400
    refused = cadre.post(
        f"/api/v1/org/join/applications/{pending}/refuse",
        {"reason": "请先办理入职手续"},
        content_type="application/json",
    )
    assert refused.status_code == 200 and refused.json()["state"] == "refused"
    status = anonymous.get(
        "/api/v1/org/join/status", {"code": second["code"], "phone_last4": "6666"}
    ).json()
    assert status["refusal_reason"] == "请先办理入职手续"


def test_refused_applications_are_deleted_after_the_retention_period(personas, settings):
    settings.ZHIJIA_JOIN_REFUSED_KEEP_DAYS = 30
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        old = submit().application
        actions.do_refuse_join_application(
            actor=personas["branch1"], application=old, reason="不符合条件"
        )
        kept = submit().application
    with time_machine.travel(at(2026, 3, 20, 10), tick=False):
        assert actions.do_purge_refused_applications() == 0
    with time_machine.travel(at(2026, 4, 2, 10), tick=False):
        assert actions.do_purge_refused_applications() == 1
    assert list(JoinApplication.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not WorkflowEvent.objects.filter(object_id=old.pk, workflow="org.join").exists()
    assert AuditEvent.objects.filter(action="org.join.purge").count() == 1
