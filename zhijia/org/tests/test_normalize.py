"""Normalising roster cells: pure functions, no database."""

import datetime as dt
from decimal import Decimal

import pytest

from zhijia.org import normalize as n

MARCH_5 = dt.date(2021, 3, 5)
MARCH_1 = dt.date(2021, 3, 1)


def test_clean_text_half_width_and_every_kind_of_space():
    assert n.clean_text("ＡＢＣ１２３") == "ABC123"
    assert n.clean_text("\u3000张三\u00a0 ") == "张三"
    assert n.clean_text("E\u200b100\ufeff1") == "E1001"
    assert n.clean_text("第一\u3000\u3000分工会") == "第一 分工会"
    assert n.clean_text("（工会）") == "(工会)"
    assert n.clean_text(None) == ""
    assert n.clean_text(1001.0) == "1001"
    assert n.clean_compact(" 生产 技术部 ") == "生产技术部"


def test_names_lose_spaces_between_chinese_characters_only():
    assert n.normalize_name("张　三") == "张三"
    assert n.normalize_name("王\u00a0五") == "王五"
    assert n.normalize_name(" 欧阳  娜娜 ") == "欧阳娜娜"
    assert n.normalize_name("买买提・艾力") == "买买提·艾力"
    assert n.normalize_name("买买提．艾力") == "买买提·艾力"
    assert n.normalize_name("John  Smith") == "John Smith"


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("工号", "工号"),
        ("工　号", "工号"),
        (" 姓 名 ", "姓名"),
        ("身份证号码", "身份证号"),
        ("手机号码", "手机号"),
        ("月工资收入（元）", "月工资收入"),
        ("工号＊", "工号"),
        ("所属工会(必填)", "所属工会"),
        ("ＩＤ", "ID"),
    ],
)
def test_header_variants(header, column):
    assert n.normalize_header(header) == column


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11010119900101004x", "11010119900101004X"),
        ("１１０１０１１９９００１０１００４Ｘ", "11010119900101004X"),
        ("110101\u200b19900101004X ", "11010119900101004X"),
        ("110101 1990 0101 004X", "11010119900101004X"),
        ("'11010119900101004X", "11010119900101004X"),
        (110101199001010031, "110101199001010031"),
    ],
)
def test_id_number_forms(value, expected):
    assert n.parse_id_number(value) == expected


def test_id_number_stored_as_a_float_has_lost_digits():
    with pytest.raises(n.CellError, match="存成了数字"):
        n.parse_id_number(1.10101199001010e17)


def test_mask():
    assert n.mask_id_number("11010119900101004X") == "1101**********004X"


@pytest.mark.parametrize(
    "value",
    [
        "+86 139-0000-1234",
        "+86-13900001234",
        "0086 13900001234",
        "8613900001234",
        "139 0000 1234",
        "１３９００００１２３４",
        "(139)0000-1234",
        13900001234,
        13900001234.0,
    ],
)
def test_phone_forms(value):
    assert n.parse_phone(value) == "13900001234"


@pytest.mark.parametrize("value", ["010-12345678", "1390000123", "23900001234", "139000012345"])
def test_phone_must_be_a_mainland_mobile(value):
    with pytest.raises(n.CellError, match="11位大陆手机号码"):
        n.parse_phone(value)


def test_empty_phone_is_allowed():
    assert n.parse_phone(None) == ""
    assert n.parse_phone(" \u3000") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021年3月5日", MARCH_5),
        ("2021年03月05日", MARCH_5),
        ("2021 年 3 月 5 号", MARCH_5),
        ("２０２１年３月５日", MARCH_5),
        ("2021年3月", MARCH_1),
        ("2021年3", MARCH_1),
        ("2021.03.05", MARCH_5),
        ("2021.3.5", MARCH_5),
        ("2021/3/5", MARCH_5),
        ("2021-03-05", MARCH_5),
        ("2021-03-05 00:00:00", MARCH_5),
        ("2021-03-05T08:30", MARCH_5),
        ("20210305", MARCH_5),
        ("2021.03", MARCH_1),
        ("2021-3", MARCH_1),
        ("202103", MARCH_1),
        (44260, MARCH_5),  # Excel serial
        (44260.75, MARCH_5),  # serial with a time of day
        ("44260", MARCH_5),  # serial that came through as text
        (dt.date(2021, 3, 5), MARCH_5),
        (dt.datetime(2021, 3, 5, 9, 30), MARCH_5),
    ],
)
def test_date_forms(value, expected):
    assert n.parse_date(value) == expected


def test_excel_serial_date_systems():
    assert n.parse_date(44260 - 1462, epoch_1904=True) == MARCH_5
    assert n.excel_serial_to_date(1) == dt.date(1900, 1, 1)
    assert n.excel_serial_to_date(61) == dt.date(1900, 3, 1)
    with pytest.raises(n.CellError):
        n.excel_serial_to_date(60)  # Excel's 1900-02-29 never existed


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2021年13月", "没有这一天"),
        ("2021-02-30", "没有这一天"),
        ("2021", "只有年份"),
        ("2021年", "只有年份"),
        ("3/5/2021", "无法识别"),
        ("去年三月", "无法识别"),
        (5, "早于1930年"),
        (dt.time(8, 0), "无法识别"),
    ],
)
def test_bad_dates(value, reason):
    with pytest.raises(n.CellError, match=reason):
        n.parse_date(value)


def test_dates_in_the_future_are_refused_when_today_is_known():
    with pytest.raises(n.CellError, match="不能晚于今天"):
        n.parse_date("2030-01-01", today=dt.date(2025, 1, 1))
    assert n.parse_date("2024-12-31", today=dt.date(2025, 1, 1)) == dt.date(2024, 12, 31)


def test_empty_date_is_none():
    assert n.parse_date(None) is None
    assert n.parse_date(" ") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("男", "M"), ("女", "F"), ("M", "M"), ("f", "F"), ("Male", "M"), ("女性", "F"), ("1", "M")],
)
def test_gender(value, expected):
    assert n.parse_gender(value) == expected


def test_bad_gender():
    assert n.parse_gender("") == ""
    with pytest.raises(n.CellError, match="男.*女"):
        n.parse_gender("未知")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("正式", "regular"),
        ("正式工", "regular"),
        ("合同制", "regular"),
        ("劳务派遣", "dispatched"),
        ("派遣", "dispatched"),
        ("返聘", "rehired"),
        ("退休返聘", "rehired"),
        ("临时", "temporary"),
        ("临时工", "temporary"),
        ("实习", "intern"),
        ("实习生", "intern"),
        ("intern", "intern"),
        ("", "regular"),
    ],
)
def test_employment_types(value, expected):
    assert n.parse_employment_type(value) == expected


def test_unknown_employment_type():
    with pytest.raises(n.CellError, match="用工性质应为"):
        n.parse_employment_type("外包")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("¥8,500.00", Decimal("8500.00")),
        ("￥8,500.00", Decimal("8500.00")),
        ("8500元", Decimal("8500.00")),
        ("8,500.5", Decimal("8500.50")),
        ("RMB 8500", Decimal("8500.00")),
        ("8500元/月", Decimal("8500.00")),
        ("８５００", Decimal("8500.00")),
        ("8500.005", Decimal("8500.01")),
        (8500, Decimal("8500.00")),
        (8500.5, Decimal("8500.50")),
        (0, Decimal("0.00")),
    ],
)
def test_wage_forms(value, expected):
    assert n.parse_wage(value) == expected


def test_bad_wages():
    assert n.parse_wage(None) is None
    assert n.parse_wage(" ") is None
    for value, reason in [
        ("-1", "负数"),
        ("八千", "应为金额"),
        ("1e12", "过大"),
        ("NaN", "应为金额"),
    ]:
        with pytest.raises(n.CellError, match=reason):
            n.parse_wage(value)


def test_decode_csv_bytes():
    text = "工号,姓名\nE1,张三\n"
    assert n.decode_text(text.encode("utf-8")) == text
    assert n.decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert n.decode_text(text.encode("gbk")) == text
    assert n.decode_text(text.encode("gb18030")) == text
    assert n.decode_text(text.encode("utf-16")) == text
    with pytest.raises(n.CellError, match="编码"):
        n.decode_text(b"\x81\x20\x81\x20")


def _row(**overrides):
    row = {
        "工号": "Ｅ１００１",
        "姓名": "张　三",
        "性别": "",
        "身份证号": "11010119900101003x",
        "手机号": "+86 139 0000 1234",
        "所属工会": " 第一分工会 ",
        "部门": "生产技术部",
        "岗位": " 运行工 ",
        "用工性质": "派遣",
        "入会日期": "2021年3月",
        "月工资收入": "￥8,500.00",
    }
    row.update(overrides)
    return row


VALID_ID_M = "110101199001010031"  # 17th digit 3: a man
VALID_ID_F_X = "11010119900101004X"  # 17th digit 4: a woman


def test_normalize_row_cleans_every_column():
    values, problems = n.normalize_row(_row(身份证号="11010119900101004x"))
    assert problems == []
    assert values == {
        "工号": "E1001",
        "姓名": "张三",
        "性别": "F",  # taken from the ID number
        "身份证号": VALID_ID_F_X,
        "手机号": "13900001234",
        "所属工会": "第一分工会",
        "部门": "生产技术部",
        "岗位": "运行工",
        "用工性质": "dispatched",
        "入会日期": MARCH_1,
        "月工资收入": Decimal("8500.00"),
    }


def test_normalize_row_gender_must_agree_with_id_number():
    values, problems = n.normalize_row(_row(身份证号=VALID_ID_M, 性别="女"))
    assert [(c, v) for c, v, _ in problems] == [("性别", "女")]
    assert "性别与身份证号不符" in problems[0][2]
    assert values["性别"] is None
    values, problems = n.normalize_row(_row(身份证号=VALID_ID_M, 性别="男"))
    assert problems == [] and values["性别"] == "M"


def test_normalize_row_reports_each_bad_cell_with_its_column():
    values, problems = n.normalize_row(
        _row(
            工号="",
            姓名=" ",
            身份证号="110101199001010030",
            手机号="12345",
            所属工会="",
            用工性质="外包",
            入会日期="2021年13月",
            月工资收入="很多",
        )
    )
    by_column = {column: reason for column, _value, reason in problems}
    assert set(by_column) == {
        "工号",
        "姓名",
        "身份证号",
        "手机号",
        "用工性质",
        "入会日期",
        "月工资收入",
    }
    assert by_column["工号"] == by_column["姓名"] == "不能为空"
    assert values["所属工会"] == ""  # may be left out: the importer fills it in
    assert by_column["身份证号"] == "身份证号校验位不正确"
    # The ID number shown in the report is masked.
    assert ("身份证号", "1101**********0030", "身份证号校验位不正确") in problems
    assert values["身份证号"] is None and values["手机号"] is None


def test_normalize_row_leaves_absent_columns_out():
    raw = {"工号": "E1", "姓名": "张三", "身份证号": VALID_ID_M, "所属工会": "B1"}
    values, problems = n.normalize_row(raw)
    assert problems == []
    assert set(values) == {"工号", "姓名", "身份证号", "所属工会", "性别"}
    assert values["性别"] == "M"
