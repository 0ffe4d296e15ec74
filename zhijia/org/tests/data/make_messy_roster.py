"""Writes the deliberately messy roster used by test_import.py, once, as it comes from HR:

  messy_roster.xlsx      a title row above the header, header names with full-width and
                         ideographic spaces and variants (身份证号码, 月工资收入（元）), columns in
                         another order plus extra columns, full-width characters, stray spaces
                         (U+3000, NBSP, zero-width), a lowercase x, every date format, an Excel
                         serial date and a real date cell, an empty line — and bad rows.
  messy_roster_gbk.csv   the same rows as Chinese Excel saves "CSV": GBK, no BOM (characters
                         GBK cannot hold, such as the zero-width space, are dropped).

Run from the repository root:  .venv/bin/python zhijia/org/tests/data/make_messy_roster.py
The files are committed; the tests read them and never regenerate them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_code(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def id_number(birth: str, gender: str, *, ends_with_x: bool = False, start: int = 1) -> str:
    """A fictional valid 身份证号 (region 110101) for a birth date YYYYMMDD."""
    for seq in range(start, 1000):
        if (seq % 2 == 1) != (gender == "M"):
            continue
        first17 = f"110101{birth}{seq:03d}"
        code = check_code(first17)
        if (code == "X") == ends_with_x:
            return first17 + code
    raise ValueError("no such number")


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def bad_checksum(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


# The header as an HR system writes it: spaced, full-width, with variants and extra columns.
HEADER = [
    "序号",
    "工　号",  # ideographic space
    "姓 名",
    "身份证号码",
    "性别",
    "手机号 ",
    "所属工会",
    "部门",
    "岗位",
    "用工性质",
    "入会日期",
    "月工资收入（元）",
    "备注",
]
TITLE = "示例能源集团职工花名册（2024年12月）"

# One tuple per spreadsheet row, from row 3 on (row 1 is the title, row 2 the header):
# (工号, 姓名, 身份证号, 性别, 手机号, 所属工会, 部门, 岗位, 用工性质, 入会日期, 月工资收入)
ID_1 = id_number("19850312", "M")
ID_2_X = id_number("19900101", "F", ends_with_x=True)
ID_3 = id_number("19780720", "M")
ID_4 = id_number("19951130", "F")
ID_5 = id_number("19880808", "F")
ID_6 = id_number("19700101", "M")
ID_7 = id_number("19921212", "M")
ID_8 = id_number("19830506", "F")
ID_9 = id_number("19990909", "M")
ID_10 = id_number("19860214", "M")
ID_11 = id_number("19870315", "F")
ID_12 = id_number("19890416", "M")
ID_13 = id_number("19910517", "F")
ID_14 = id_number("19930618", "M")
ID_15 = id_number("19940719", "M")  # a man, but the row says 女

ROWS: list[tuple | None] = [
    # row 3: full-width 工号 and ID, ideographic space in the name, +86 phone, 年月日
    (
        full_width("E1001"),
        "张　三",
        full_width(ID_1),
        "男",
        "+86 139-0000-1001",
        "第一分工会",
        " 生产技术部 ",
        "运行工",
        "正式工",
        "2021年3月5日",
        "￥8,500.00",
    ),
    # row 4: lowercase x, unit given by its code in lower case, 年月 only, "元"
    (
        "E1002",
        "李四",
        ID_2_X.lower(),
        "女",
        "139 0000 1002",
        "b1-g1",
        "D-PROD",
        "检修工",
        "劳务派遣",
        "2021年3月",
        "8500元",
    ),
    # row 5: NBSP in the name, zero-width space in the ID, gender as M, dotted date, a number
    (
        "E1003",
        "王\u00a0五",
        ID_3[:6] + "\u200b" + ID_3[6:],
        "M",
        "13900001003",
        "发电二班组",
        "",
        "",
        "返聘",
        "2021.03.05",
        9000,
    ),
    # row 6: slashed date, wage with a thousands comma, gender as F
    ("E1004", "赵六", ID_4, "F", "", "第一分工会", "设备管理部", "", "临时", "2021/3/5", "7,200"),
    # row 7: gender left empty (taken from the ID number), ISO date
    ("E1005", "钱七", ID_5, "", "13900001005", "第一分工会", "", "", "实习", "2021-03-05", ""),
    # row 8: compact date
    ("E1006", "孙八", ID_6, "男", "13900001006", " 第一分工会", "", "", "", "20210305", 6000),
    # row 9: an Excel serial date (44260 = 2021-03-05) in a plain number cell
    ("E1007", "周九", ID_7, "男", "13900001007", "第一分工会", "", "", "正式", 44260, 6100),
    # row 10: a real date cell
    (
        "E1008",
        "吴十",
        ID_8,
        "女",
        "13900001008",
        "第一分工会",
        "",
        "",
        "正式",
        dt.date(2021, 3, 5),
        "",
    ),
    None,  # row 11: an empty line, skipped
    # row 12: full-width date digits with spaces around the 年月日
    (
        "E1009",
        "郑一",
        ID_9,
        "男",
        "13900001009",
        "第一分工会",
        "",
        "",
        "",
        "２０２１ 年 ３ 月 ５ 日",
        "",
    ),
    # --- bad rows ---
    # row 13: bad checksum
    ("E1010", "冯二", bad_checksum(ID_10), "男", "13900001010", "第一分工会", "", "", "", "", ""),
    # row 14: unknown unit
    ("E1011", "陈三", ID_11, "女", "13900001011", "第九分工会", "", "", "", "", ""),
    # row 15: duplicate 工号 (row 3 has E1001)
    ("E1001", "褚四", ID_12, "男", "13900001012", "第一分工会", "", "", "", "", ""),
    # row 16: phone with 10 digits
    ("E1013", "卫五", ID_13, "女", "1390000101", "第一分工会", "", "", "", "", ""),
    # row 17: name missing
    ("E1014", "　", ID_14, "男", "13900001014", "第一分工会", "", "", "", "", ""),
    # row 18: gender contradicts the ID number, and a month that does not exist
    ("E1015", "蒋六", ID_15, "女", "", "第一分工会", "", "", "", "2021年13月", ""),
]

# The bad rows and the columns each must be reported for (row → columns), for the tests.
EXPECTED_ERRORS = {
    13: {"身份证号"},
    14: {"所属工会"},
    15: {"工号"},
    16: {"手机号"},
    17: {"姓名"},
    18: {"性别", "入会日期"},
}


def _cells(row: tuple, index: int) -> list:
    (no, name, idn, gender, phone, unit, dept, job, kind, joined, wage) = row
    return [index, no, name, idn, gender, phone, unit, dept, job, kind, joined, wage, "备注文字"]


def write_xlsx(path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append([TITLE])
    sheet.append(HEADER)
    for index, row in enumerate(ROWS, start=1):
        sheet.append(_cells(row, index) if row else [])
    sheet.append(["", "", "", "", "", "", "", "", "", "", "", "", "   "])  # trailing blank row
    workbook.save(path)


def _gbk_safe(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    text = "" if value is None else str(value)
    return text.encode("gbk", errors="ignore").decode("gbk")


def write_gbk_csv(path: Path) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([TITLE])
    writer.writerow([_gbk_safe(h) for h in HEADER])
    for index, row in enumerate(ROWS, start=1):
        writer.writerow([_gbk_safe(c) for c in _cells(row, index)] if row else [])
    path.write_bytes(out.getvalue().encode("gbk"))


if __name__ == "__main__":
    write_xlsx(HERE / "messy_roster.xlsx")
    write_gbk_csv(HERE / "messy_roster_gbk.csv")
    print("wrote", HERE / "messy_roster.xlsx", HERE / "messy_roster_gbk.csv")  # noqa: T201
