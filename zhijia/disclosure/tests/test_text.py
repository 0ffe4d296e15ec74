"""Body rendering, pasted tables and diffs (no database)."""

from __future__ import annotations

import pytest

from zhijia.disclosure import text
from zhijia.disclosure.text import DELETE, EQUAL, INSERT, Segment


def test_raw_html_is_shown_as_text_never_interpreted():
    html = text.render_text('<script>alert(1)</script>\n<img src=x onerror="alert(2)">')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html


def test_line_breaks_paragraphs_and_marks():
    html = text.render_text("第一行\n第二行\n\n# 分配办法\n- 甲\n- 乙\n1. 一\n2. 二\n**重点**说明")
    assert "<p>第一行<br>第二行</p>" in html
    assert "<h3>分配办法</h3>" in html
    assert "<ul>\n<li>甲</li>\n<li>乙</li>\n</ul>" in html
    assert "<ol>\n<li>一</li>\n<li>二</li>\n</ol>" in html
    assert "<p><strong>重点</strong>说明</p>" in html


def test_marks_cannot_smuggle_html():
    html = text.render_text("**<b onclick=x>**")
    assert "<b " not in html
    assert "<strong>&lt;b onclick=x&gt;</strong>" in html


def test_a_decimal_is_not_a_list_item():
    assert "<ol>" not in text.render_text("1.5万元为上限")
    assert "<ol>" in text.render_text("1、按岗位系数分配")


def test_plain_text_drops_marks():
    assert text.plain_text("# 标题\n- **甲** 1200 元") == "标题\n甲 1200 元"


def test_table_pasted_from_excel():
    rows = text.parse_table("姓名\t岗位\t奖金\n张三\t车工\t1,200.00\n李四\t钳工\t980\n\n")
    assert rows == [["姓名", "岗位", "奖金"], ["张三", "车工", "1,200.00"], ["李四", "钳工", "980"]]


def test_table_csv_with_quotes_and_ragged_rows():
    rows = text.parse_table('姓名,说明\n张三,"含, 逗号"\n李四\n')
    assert rows == [["姓名", "说明"], ["张三", "含, 逗号"], ["李四", ""]]


def test_table_with_chinese_commas_and_trailing_delimiters():
    assert text.parse_table("姓名，奖金\n王五，800") == [["姓名", "奖金"], ["王五", "800"]]
    assert text.parse_table("a,b,\nc,d,\n") == [["a", "b"], ["c", "d"]]


def test_table_round_trip_is_canonical():
    rows = text.parse_table("姓名\t说明\n张三\t含,逗号")
    assert text.parse_table(text.table_to_text(rows)) == rows


def test_table_limits():
    with pytest.raises(text.TableError) as exc:
        text.parse_table(",".join(["x"] * 31))
    assert exc.value.code == "columns" and exc.value.row == 1
    with pytest.raises(text.TableError) as exc:
        text.parse_table('a,"unterminated\nb,c')
    assert exc.value.code == "quoting"
    assert text.parse_table("  \n ") == []


def test_tokens_keep_numbers_whole_and_split_chinese():
    assert text.tokens("奖金1,250.00元 up 3.5%") == [
        "奖",
        "金",
        "1,250.00",
        "元",
        " ",
        "up",
        " ",
        "3.5%",
    ]


def test_diff_shows_exactly_the_changed_figure():
    old = "一车间十月奖金分配方案：人均奖金1,200元，发放日期11月15日。\n第二段不变。"
    new = "一车间十月奖金分配方案：人均奖金1,350元，发放日期11月15日。\n第二段不变。"
    segments = text.diff_text(old, new)
    assert [s for s in segments if s.op != EQUAL] == [
        Segment(DELETE, "1,200"),
        Segment(INSERT, "1,350"),
    ]
    # Reassembling the sides gives back both texts.
    assert "".join(s.text for s in segments if s.op != INSERT) == old
    assert "".join(s.text for s in segments if s.op != DELETE) == new


def test_diff_of_chinese_wording_is_character_level():
    segments = text.diff_text("按岗位系数分配", "按岗位系数和出勤天数分配")
    assert [s for s in segments if s.op != EQUAL] == [Segment(INSERT, "和出勤天数")]


def test_diff_of_added_and_removed_lines():
    segments = text.diff_text("甲\n乙\n", "甲\n丙\n丁\n")
    changed = [s for s in segments if s.op != EQUAL]
    assert Segment(DELETE, "乙") in changed
    assert "".join(s.text for s in segments if s.op != DELETE) == "甲\n丙\n丁\n"
    assert not text.has_changes(text.diff_text("同样", "同样"))


def test_table_diff_marks_changed_cells_and_added_rows():
    old = [["姓名", "奖金"], ["张三", "1200"], ["李四", "980"]]
    new = [["姓名", "奖金"], ["张三", "1350"], ["李四", "980"], ["王五", "800"]]
    rows = text.diff_table(old, new)
    assert [r.status for r in rows] == [EQUAL, text.CHANGED, EQUAL, INSERT]
    changed = rows[1].cells
    assert changed[0] == text.Cell("张三") and changed[1] == text.Cell("1350", old="1200")
    assert [c.text for c in rows[3].cells] == ["王五", "800"]


def test_table_diff_removed_row():
    rows = text.diff_table([["a"], ["b"], ["c"]], [["a"], ["c"]])
    assert [(r.status, r.cells[0].text) for r in rows] == [
        (EQUAL, "a"),
        (DELETE, "b"),
        (EQUAL, "c"),
    ]
