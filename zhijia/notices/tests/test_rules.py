"""The pure rules of notices, without a database."""

from __future__ import annotations

import datetime as dt

from zhijia.notices import rules


def test_script_tags_event_handlers_and_javascript_urls_are_stripped():
    dirty = (
        '<p onclick="steal()">通知<script>alert("x")</script></p>'
        '<img src="x" onerror="alert(1)">'
        '<a href="javascript:alert(1)">点我</a>'
        '<a href="JaVaScRiPt:alert(2)">再点</a>'
        "<style>body{display:none}</style>"
        '<p style="color:red" class="x">样式</p>'
        '<iframe src="https://evil.example"></iframe>'
    )
    clean = rules.clean_html(dirty)
    lowered = clean.lower()
    for banned in (
        "<script",
        "alert",
        "onerror",
        "onclick",
        "javascript:",
        "<style",
        "style=",
        "<img",
        "<iframe",
        "class=",
    ):
        assert banned not in lowered, banned
    assert "通知" in clean and "样式" in clean and "点我" in clean


def test_the_whitelist_is_kept_and_links_get_rel():
    text = (
        "<h2>标题</h2><p><strong>粗</strong><em>斜</em><br></p><ul><li>一</li></ul>"
        "<ol><li>二</li></ol><blockquote>引</blockquote>"
        '<table><thead><tr><th colspan="2">表</th></tr></thead><tbody><tr><td>1</td></tr>'
        '</tbody></table><a href="https://union.example/x" target="_blank">链接</a>'
    )
    clean = rules.clean_html(text)
    for kept in (
        "<h2>",
        "<strong>",
        "<em>",
        "<br>",
        "<ul>",
        "<ol>",
        "<li>",
        "<blockquote>",
        "<table>",
        '<th colspan="2">',
        "<td>",
    ):
        assert kept in clean, kept
    assert '<a href="https://union.example/x" rel="noopener noreferrer">链接</a>' in clean
    assert "target" not in clean


def test_plain_text_becomes_paragraphs_escaped():
    assert rules.clean_html("第一段\n第二行\n\n第二段 <3") == (
        "<p>第一段<br>第二行</p><p>第二段 &lt;3</p>"
    )
    assert rules.clean_html("   ") == ""


def test_plain_text_and_excerpt():
    html = "<h2>活动</h2><p>请于 <strong>25 日</strong>前完成&amp;提交。</p>"
    assert rules.plain_text(html) == "活动\n请于 25 日 前完成&提交。"
    assert rules.excerpt("<p>" + "字" * 100 + "</p>", 10) == "字" * 9 + "…"


def test_one_reminder_an_hour():
    t = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)
    assert rules.may_remind(None, t)
    assert not rules.may_remind(t, t + dt.timedelta(minutes=59))
    assert rules.may_remind(t, t + dt.timedelta(hours=1))
    assert rules.next_reminder_at(t) == t + dt.timedelta(hours=1)


def test_hotlines_and_audience():
    assert rules.hotlines("12351 职工服务热线\n\n 010-1234 \n") == [
        rules.Hotline("12351", "职工服务热线"),
        rules.Hotline("010-1234", ""),
    ]
    assert rules.audience_covers(["/1/4/"], "/1/4/17/")
    assert not rules.audience_covers(["/1/4/"], "/1/5/")
    assert rules.scopes_meet(["/1/4/"], ["/1/"])  # a branch cadre and an enterprise notice
    assert rules.scopes_meet(["/1/"], ["/1/4/17/"])
    assert not rules.scopes_meet(["/1/5/"], ["/1/4/"])
