"""scripts/check_rules.py: the project rules that lint cannot see."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("check_rules", ROOT / "scripts" / "check_rules.py")
assert _spec and _spec.loader
check_rules = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_rules)


def problems(tmp_path: Path, relpath: str, source: str) -> list[str]:
    path = tmp_path / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return check_rules.check_file(path, root=tmp_path)


def test_objects_in_views_and_api_is_refused(tmp_path):
    found = problems(tmp_path, "zhijia/things/views.py", "x = Thing.objects.filter(a=1)\n")
    assert len(found) == 1 and "[objects]" in found[0] and ":1:" in found[0]
    assert problems(tmp_path, "zhijia/things/api.py", "Thing.objects.all()\n")
    # queries.py is where reads belong.
    assert problems(tmp_path, "zhijia/things/queries.py", "Thing.objects.all()\n") == []


def test_allow_comment_needs_the_rule_and_a_reason(tmp_path):
    source = "x = Token.objects.get(pk=1)  # allow: objects the auth hook runs before views\n"
    assert problems(tmp_path, "zhijia/api.py", source) == []
    above = "# allow: objects the auth hook runs before views\nx = Token.objects.get(pk=1)\n"
    assert problems(tmp_path, "zhijia/api.py", above) == []
    assert problems(tmp_path, "zhijia/api.py", "x = T.objects.get()  # allow: objects\n")
    assert problems(tmp_path, "zhijia/api.py", "x = T.objects.get()  # allow: print why\n")


def test_print_only_outside_the_application(tmp_path):
    assert "[print]" in problems(tmp_path, "zhijia/things/actions.py", "print('x')\n")[0]
    assert problems(tmp_path, "zhijia/cli.py", "print('x')\n") == []
    assert problems(tmp_path, "zhijia/things/management/commands/go.py", "print(1)\n") == []
    assert problems(tmp_path, "bench/storm.py", "print(1)\n") == []
    assert problems(tmp_path, "zhijia/things/tests/test_x.py", "print(1)\n") == []
    # A method called print, or the word in a string, is not a print() call.
    assert problems(tmp_path, "zhijia/things/rules.py", "doc.print()\nx = 'print(1)'\n") == []


def test_raw_sql_only_where_allowed(tmp_path):
    raw = """
    from django.db import connection
    def f():
        with connection.cursor() as c:
            c.execute("SELECT 1")
        return Thing.objects.raw("SELECT * FROM t")
    """
    found = problems(tmp_path, "zhijia/things/actions.py", raw)
    assert [p.split("] ")[0].split(" [")[1] for p in found] == ["raw-sql", "raw-sql"]
    for allowed in ("queries.py", "search.py", "search_sql.py", "workflow.py"):
        assert problems(tmp_path, f"zhijia/things/{allowed}", raw) == []
    assert problems(tmp_path, "zhijia/things/migrations/0002_fts.py", raw) == []
    assert problems(tmp_path, "zhijia/things/tests/test_tamper.py", raw) == []


def test_the_project_itself_is_checked_by_make_test():
    makefile_stage = (ROOT / "scripts" / "test.sh").read_text()
    assert "scripts/check_rules.py" in makefile_stage


def test_templates_carry_no_inline_styles_scripts_or_handlers(tmp_path):
    """What the Content-Security-Policy would refuse is found, with its line, even when
    template tags sit inside the element or the attribute comes on a later line."""
    page = """\
    {% extends "base.html" %}{% load static %}
    {% block head %}<style>.x { color: red }</style>{% endblock %}
    {% block content %}
    <p {% if a %}style="color: red"{% endif %}>x</p>
    <button type="button"
            onclick="window.print()">print</button>
    <form hx-post="/x/" hx-on::after-request="this.reset()"></form>
    <div hx-vals='js:{a: 1}'></div>
    <a href="javascript:void(0)">x</a>
    <script>alert(1)</script>
    <script src="https://cdn.example.org/lib.js"></script>
    <link rel="stylesheet" href="//cdn.example.org/x.css">
    {% endblock %}
    """
    found = problems(tmp_path, "zhijia/things/templates/things/page.html", page)
    assert all("[inline]" in p for p in found)
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == [2, 4, 5, 7, 8, 9, 10, 11, 12], found
    assert "inline <style>" in found[0] and 'style=""' in found[1] and "onclick" in found[2]
    assert "hx-on::after-request" in found[3] and "js:" in found[4] and "javascript:" in found[5]
    assert "inline <script>" in found[6]
    assert "another site" in found[7] and "another site" in found[8]


def test_templates_may_load_static_files_and_json_data(tmp_path):
    page = """\
    {% load static %}{# a <style> in a comment is not one #}
    <link rel="stylesheet" href="{% static 'things/things.css' %}">
    <script src="{% static 'things/things.js' %}" defer></script>
    {{ data|json_script:"things-data" }}
    <script id="cfg" type="application/json">{"a": 1}</script>
    <p class="online" data-select-all="ids" hx-vals='{"a": 1}'>style="not an attribute"</p>
    {% comment %}<script>old()</script>{% endcomment %}
    """
    assert problems(tmp_path, "zhijia/things/templates/things/page.html", page) == []
    # A template only ever rendered to PDF may opt out, saying why.
    pdf = "{# allow: inline only rendered to PDF by WeasyPrint #}\n<style>@page {}</style>\n"
    assert problems(tmp_path, "zhijia/things/templates/things/sheet.html", pdf) == []
    assert problems(tmp_path, "zhijia/things/templates/things/sheet.html", "<style></style>\n")


def test_setting_defaults_only_in_settings(tmp_path):
    source = """
    from django.conf import settings
    import django.conf
    a = getattr(settings, "ZHIJIA_X", 5)
    b = getattr(django.conf.settings, "ZHIJIA_Y", "")
    """
    found = problems(tmp_path, "zhijia/things/workflows.py", source)
    assert [p.split("] ")[0].split(" [")[1] for p in found] == ["settings-default"] * 2
    # Plain reads, and getattr without a default or on anything else, are fine.
    fine = """
    from django.conf import settings
    a = settings.ZHIJIA_X
    b = getattr(settings, "ZHIJIA_X")
    c = getattr(thing, "x", None)
    """
    assert problems(tmp_path, "zhijia/things/workflows.py", fine) == []
    assert problems(tmp_path, "zhijia/things/tests/test_x.py", source)


def test_raw_state_comparisons_are_refused(tmp_path):
    source = """
    def f(g, p):
        if g.state == "closed" or "open" != p.state:
            return g.state in ("a", "b") or p.state not in ["c"]
        return g.in_state("closed") or p.state == WF.states.closed or g.state == other
    """
    found = problems(tmp_path, "zhijia/things/actions.py", source)
    assert [p.split(":")[1] for p in found] == ["3", "3", "4", "4"]
    assert all("[state]" in p for p in found)
    # The workflow definitions may name their states; tests may compare.
    assert problems(tmp_path, "zhijia/things/workflows.py", source) == []
    assert problems(tmp_path, "zhijia/things/tests/test_x.py", source) == []
    allowed = 'x = poll.state == "open"  # allow: state a poll is not a workflow record\n'
    assert problems(tmp_path, "zhijia/things/views.py", allowed) == []


def test_raw_state_comparisons_in_templates(tmp_path):
    bad = '{% if g.state == "closed" %}x{% endif %}{% if g.state in "a b" %}{% endif %}\n'
    found = problems(tmp_path, "zhijia/things/templates/things/a.html", bad)
    assert len(found) == 2 and all("[state]" in p for p in found)
    good = '{% load zhijia_workflow %}{% if g|in_state:"closed" %}x{% endif %}\n'
    assert problems(tmp_path, "zhijia/things/templates/things/b.html", good) == []
