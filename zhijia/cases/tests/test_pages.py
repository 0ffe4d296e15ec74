"""The pages: a worker on the phone, branch1 at the desk, handler1 in their department."""

from __future__ import annotations

import pytest

from zhijia.cases.models import Grievance, KnowledgeEntry
from zhijia.cases.tests.support import TEXT, department, sweep


def page(response) -> str:
    return response.content.decode()


def test_worker_raises_a_grievance_with_one_short_form_and_follows_it(login, personas):
    worker = login("worker1")
    assert "反映诉求" in page(worker.get("/cases/"))
    form = worker.get("/cases/new/")
    assert form.status_code == 200
    # one short form: kind, category, text, optional files — nothing else to fill in
    html = page(form)
    assert html.count('name="kind"') == 2 and 'name="category"' in html and 'name="text"' in html

    bad = worker.post("/cases/new/", {"kind": "grievance", "category": "wages", "text": ""})
    assert bad.status_code == 400 and 'id="id_text_error"' in page(bad)

    done = worker.post("/cases/new/", {"kind": "grievance", "category": "wages", "text": TEXT})
    assert done.status_code == 302
    g = Grievance.objects.get()
    assert done["Location"] == f"/cases/{g.pk}/"
    detail = page(worker.get(done["Location"]))
    assert "待办理" in detail and "夜班津贴" in detail and "补充信息" in detail
    assert g.title in page(worker.get("/cases/"))

    # branch1 sees it in the queue and assigns it; handler1 answers; the worker rates.
    branch1 = login("branch1")
    queue = page(branch1.get("/cases/queue/"))
    assert g.title in queue
    assert (
        branch1.post(
            f"/cases/{g.pk}/assign/", {"department": department("D-HR").pk, "note": ""}
        ).status_code
        == 302
    )
    handler = login("handler1")
    assert g.title in page(handler.get("/cases/department/"))
    no_text = handler.post(f"/cases/{g.pk}/answer/", {"text": ""})
    assert no_text.status_code == 400
    assert handler.post(f"/cases/{g.pk}/answer/", {"text": "已补发。"}).status_code == 302
    refused = worker.post(f"/cases/{g.pk}/rate/", {"rating": "dissatisfied", "comment": ""})
    assert refused.status_code == 400 and "请写明哪里不满意" in page(refused)
    assert worker.post(f"/cases/{g.pk}/rate/", {"rating": "satisfied"}).status_code == 302
    g.refresh_from_db()
    assert (g.state, g.rating) == ("closed", "satisfied")
    final = page(worker.get(f"/cases/{g.pk}/"))
    assert "已办结" in final and "已补发" in final and "周敏" in final

    # branch1 publishes the answer, de-identified, to the knowledge base.
    unchanged = branch1.post(
        f"/cases/{g.pk}/publish/",
        {"question": g.text[:300], "answer": "已补发。", "category": "wages"},
    )
    assert unchanged.status_code == 400 and "请改写问题" in page(unchanged)
    published = branch1.post(
        f"/cases/{g.pk}/publish/",
        {
            "question": "单位不发夜班津贴怎么办？",
            "answer": "夜班津贴属于工资，单位应足额支付；可请工会协调补发。",
            "category": "wages",
            "legal_basis": "劳动法第五十条",
        },
    )
    assert published.status_code == 302
    entry = KnowledgeEntry.objects.get()
    assert entry.source_grievance_id == g.pk and entry.is_published
    public = page(login("worker2").get(f"/cases/knowledge/{entry.pk}/"))
    assert "夜班津贴属于工资" in public
    assert str(g.pk) not in public and "陈小红" not in public  # the source is not shown
    found = page(login("worker2").get("/cases/knowledge/?q=夜班津贴"))
    assert "单位不发夜班津贴怎么办" in found
    # suggestions while typing (htmx POST, open to the anonymous box too)
    from django.test import Client

    suggest = Client().post("/cases/knowledge/suggest/", {"text": "这个月夜班津贴又没发"})
    assert suggest.status_code == 200 and "单位不发夜班津贴怎么办" in page(suggest)


def test_queue_filters_and_overdue_first(login, personas):
    import time_machine

    from zhijia.cases.actions import grievances as actions
    from zhijia.cases.tests.support import at

    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        old = actions.do_submit_grievance(
            actor=personas["worker1"], kind="grievance", category="safety", text="配电房门锁坏了"
        )
    with time_machine.travel(at(2026, 3, 16, 10), tick=False):
        new = actions.do_submit_grievance(
            actor=personas["worker1"], kind="legal", category="contract", text="试用期能延长吗"
        )
        branch1 = login("branch1")
        html = page(branch1.get("/cases/queue/"))
        assert html.index("配电房门锁坏了") < html.index("试用期能延长吗")  # overdue first
        assert "超期" in html
        only_overdue = page(branch1.get("/cases/queue/?overdue=on"))
        assert old.title in only_overdue and new.title not in only_overdue
        legal = page(branch1.get("/cases/queue/?kind=legal"))
        assert new.title in legal and old.title not in legal
        # branch2 sees neither
        assert old.title not in page(login("branch2").get("/cases/queue/"))


def test_routing_rules_page(login, personas):
    chair = login("chair")
    assert chair.get("/cases/routing/").status_code == 200
    from zhijia.cases.tests.support import unit

    made = chair.post(
        "/cases/routing/",
        {"scope": unit("B1").pk, "category": "safety", "department": department("D-SAFE").pk,
         "deadline_workdays": 2},
    )  # fmt: skip
    assert made.status_code == 302
    assert "安全环保部" in page(chair.get("/cases/routing/"))
    empty = chair.post("/cases/routing/", {"scope": unit("B1").pk})
    assert empty.status_code == 400
    # branch2 cannot set rules for branch1
    assert (
        login("branch2")
        .post("/cases/routing/", {"scope": unit("B1").pk, "deadline_workdays": 3})
        .status_code
        == 400
    )


@pytest.mark.parametrize("who", ["worker1", "branch1", "handler1", "mediator1"])
def test_pages_render(login, personas, who):
    client = login(who)
    for url in ["/cases/", "/cases/knowledge/", "/cases/box/", "/cases/box/follow/"]:
        assert client.get(url).status_code == 200, url
    sweep()


def test_named_grievance_attachments_follow_the_grievance_scope(login, personas):
    import base64

    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhijia.core import attachments

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    worker = login("worker1")
    done = worker.post(
        "/cases/new/",
        {
            "kind": "grievance",
            "category": "safety",
            "text": "配电房门锁坏了，照片附后。",
            "files": [SimpleUploadedFile("门锁.png", png, content_type="image/png")],
        },
    )
    assert done.status_code == 302
    g = Grievance.objects.get()
    (att,) = attachments.attachments_for(g)
    from django.urls import reverse

    url = reverse("files:attachment-download", args=[att.pk])
    assert login("branch1").get(url).status_code == 200
    assert worker.get(url).status_code == 200
    assert login("branch2").get(url).status_code == 404
