"""The tree methods of OrgUnit and Department (one implementation for every module)."""

from __future__ import annotations

import pytest

from zhijia.core.unitpaths import path_prefixes
from zhijia.org.models import Department, recompute_paths

pytestmark = pytest.mark.django_db


def test_path_prefixes():
    assert path_prefixes("/1/4/17/") == ["/1/", "/1/4/", "/1/4/17/"]
    assert path_prefixes("/1/") == ["/1/"]
    assert path_prefixes("") == []


def test_unit_lineage_labels_and_prefixes(demo_units):
    top, branch, group = demo_units["U"], demo_units["B1"], demo_units["B1-G1"]
    assert group.path_prefixes() == [top.path, branch.path, group.path]
    assert group.lineage() == [top, branch, group]
    assert top.lineage() == [top]
    assert list(group.ancestors()) == [top, branch]
    assert set(branch.descendants()) == {u for u in branch.subtree() if u != branch}
    assert group.path_label() == f"{top.name} / {branch.name} / {group.name}"
    assert group.path_label(" · ", levels=2) == f"{branch.name} · {group.name}"
    assert group.group_label() == f"{branch.name} / {group.name}"
    assert branch.group_label() == branch.name and top.group_label() == top.name


def test_department_lineage(demo_units):
    hr = Department.objects.get(code="D-HR")
    desk = Department.objects.create(name="薪酬组", code="D-HR-PAY", parent=hr)
    recompute_paths(desk)
    assert desk.path_prefixes() == [hr.path, desk.path]
    assert desk.lineage() == [hr, desk]
    assert desk.path_label() == "人力资源部 / 薪酬组"
