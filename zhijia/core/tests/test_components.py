"""The shared page components: status badge vocabulary, timeline, error partial, action form."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string

from zhijia.core.templatetags.zhijia_ui import TONES, timeline_entry, tone_of


def render(source: str, **context) -> str:
    return Template("{% load zhijia_ui %}" + source).render(Context(context))


def test_status_badge_takes_its_tone_from_the_one_vocabulary():
    html = render("{% status_badge state label %}", state="verified", label="已验收")
    assert html == '<span class="badge tone-ok status-verified">已验收</span>\n'
    assert "tone-danger" in render("{% status_badge 'rejected' '未通过' %}")
    assert "tone-neutral" in render("{% status_badge 'something_new' '新状态' %}")
    assert "tone-warn" in render("{% status_badge 'x' 'X' tone='warn' %}")
    assert tone_of("open", {"open": "danger"}) == "danger" and tone_of("open") == TONES["open"]


def test_status_badge_reads_an_object():
    poll = SimpleNamespace(state="open", state_label="进行中")
    assert ">进行中<" in render("{% status_badge poll %}", poll=poll)
    slot = SimpleNamespace(status="cancelled", get_status_display=lambda: "已取消")
    html = render("{% status_badge slot %}", slot=slot)
    assert "tone-warn status-cancelled" in html and ">已取消<" in html


def test_timeline_reads_the_modules_entries_and_escapes():
    at = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    entries = [
        {"at": at, "label": "受理", "actor": "李春梅", "to": "办理中", "note": "<b>注意</b>"},
        SimpleNamespace(
            at=at,
            label="超期升级",
            actor_label="",
            to_label="待办理",
            note="",
            transition="escalate",
        ),
        SimpleNamespace(
            label="审核",
            state="已批准",
            event=SimpleNamespace(at=at, actor_label="张三", note="同意"),
        ),
    ]
    assert timeline_entry(entries[2])["who"] == "张三"
    html = render("{% timeline entries %}", entries=entries)
    assert html.count("<li") == 3 and 'class="timeline"' in html
    assert "受理</strong> · 李春梅 → 办理中" in html and "&lt;b&gt;注意&lt;/b&gt;" in html
    assert '<li class="warn">' in html and "→ 待办理" in html
    assert "审核</strong> · 张三 → 已批准" in html and "同意" in html
    assert "暂无记录" in render("{% timeline entries %}", entries=[])


class _StepForm(forms.Form):
    reason = forms.CharField(label="理由")

    def clean(self):
        raise forms.ValidationError("记录已被他人处理")


def test_error_partial_and_action_form_card():
    form = _StepForm({"reason": ""})
    form.is_valid()
    html = render_to_string(
        "components/action_form.html",
        {"form": form, "action": "/x/", "title": "退回", "submit": "确认退回", "secondary": True},
    )
    assert 'action="/x/"' in html and "<h2>退回</h2>" in html and 'class="secondary"' in html
    assert 'role="alert"' in html and "记录已被他人处理" in html  # refusal at the top
    assert 'id="id_reason_error"' in html  # the field's own error next to it
    assert html.index("记录已被他人处理") < html.index('name="reason"')
    message = render_to_string("components/errors.html", {"message": "已超过期限"})
    assert "已超过期限" in message and 'role="alert"' in message
    assert render_to_string("components/errors.html", {"form": _StepForm()}).strip() == ""


def test_action_form_asks_before_an_irreversible_step():
    form = _StepForm()
    html = render_to_string(
        "components/action_form.html",
        {
            "form": form,
            "action": "/x/",
            "submit": "不予立项",
            "danger": True,
            "confirm": "不予立项后，报告人会收到通知，此隐患不能再立项。",
        },
    )
    assert 'data-confirm="不予立项后，报告人会收到通知，此隐患不能再立项。"' in html
    assert "data-confirm-danger" in html and 'class="btn-danger"' in html
    plain = render_to_string("components/action_form.html", {"form": form, "action": "/x/"})
    assert "data-confirm" not in plain and 'class="btn-primary"' in plain


def test_confirm_form_is_one_button_that_asks_first():
    html = render_to_string(
        "components/confirm_form.html",
        {"action": "/close/", "submit": "闭幕", "confirm": 'A "quoted" <b>sentence</b>'},
    )
    assert html.startswith('<form method="post" action="/close/"')
    assert 'data-confirm="A &quot;quoted&quot; &lt;b&gt;sentence&lt;/b&gt;"' in html
    assert 'class="btn-primary">闭幕</button>' in html and "data-confirm-danger" not in html
    danger = render_to_string(
        "components/confirm_form.html",
        {"action": "/d/", "confirm": "删除后不能恢复。", "danger": True, "name": "x", "value": "1"},
    )
    assert "data-confirm-danger" in danger and 'class="btn-danger" name="x" value="1"' in danger
    assert ">确定</button>" in danger


def test_pdfs_are_downloads_with_their_chinese_name():
    from zhijia.core.pdf import pdf_bytes_response

    response = pdf_bytes_response(b"%PDF-1.7", "表决结果.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E8%A1%A8%E5%86%B3%E7%BB%93%E6%9E%9C.pdf"
    )
    inline = pdf_bytes_response(b"%PDF-1.7", "sheet.pdf", attachment=False)
    assert inline["Content-Disposition"] == 'inline; filename="sheet.pdf"'
