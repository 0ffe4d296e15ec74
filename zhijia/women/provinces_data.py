"""The provinces' maternity terms shipped with zhijia (loaded into women.Province by the
migration 0001 and by actions.provinces.ensure_provinces; cadres edit them afterwards).

NONE of these rows could be checked against the official text when they were written (no
access to the regulations' published texts): each is marked `confirmed=False`, says so in its
note, and is listed in docs/women.md. They record the provincial population and family planning
regulations as amended in 2021 after the three-child policy, as far as known. Check each
against the province's published regulation before relying on it, then tick 已核对.

Fields: code, name, extra_days (延长生育假 / 奖励假 added to the national 98 days),
difficult_extra_days, multiple_extra_days (0: the province adds nothing we know of beyond
Art. 7), holidays_extend (False: counted in calendar days as the national rules), paternity_days
(配偶陪产假, shown for information), regulation, year, confirmed, note.
"""

from __future__ import annotations

UNCONFIRMED = "未能与官方文本核对（编写时无法访问法规原文），使用前请核对。"

PROVINCES: list[dict] = [
    {
        "code": "beijing",
        "name": "北京",
        "extra_days": 60,
        "paternity_days": 15,
        "regulation": "北京市人口与计划生育条例",
        "year": 2021,
        "note": UNCONFIRMED + "另：经单位同意可再增加假期1至3个月（未计入）。",
    },
    {
        "code": "shanghai",
        "name": "上海",
        "extra_days": 60,
        "paternity_days": 10,
        "regulation": "上海市人口与计划生育条例",
        "year": 2021,
        "note": UNCONFIRMED,
    },
    {
        "code": "guangdong",
        "name": "广东",
        "extra_days": 80,
        "paternity_days": 15,
        "regulation": "广东省人口与计划生育条例",
        "year": 2021,
        "note": UNCONFIRMED,
    },
    {
        "code": "jiangsu",
        "name": "江苏",
        "extra_days": 30,
        "paternity_days": 15,
        "regulation": "江苏省人口与计划生育条例",
        "year": 2021,
        "note": UNCONFIRMED,
    },
    {
        "code": "zhejiang",
        "name": "浙江",
        "extra_days": 60,
        "paternity_days": 15,
        "regulation": "浙江省人口与计划生育条例",
        "year": 2021,
        "note": UNCONFIRMED + "生育二孩、三孩延长90天（按孩次区分未建模，此处为一孩的60天）。",
    },
]


def load(province_model) -> int:
    """Create the shipped rows that are missing (an edited row is left as it is)."""
    created = 0
    for row in PROVINCES:
        defaults = {k: v for k, v in row.items() if k != "code"}
        defaults.setdefault("confirmed", False)
        _, made = province_model.objects.get_or_create(code=row["code"], defaults=defaults)
        created += int(made)
    return created
