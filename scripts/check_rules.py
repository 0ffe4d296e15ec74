#!/usr/bin/env python3
"""Project rules that lint cannot see (CONVENTIONS.md, "Habits"). Run by `make test`.

  objects   views and API endpoints (views.py, api.py, the views/ and api/ packages) never call
            `Model.objects`: reads go through queries, writes through actions.
  print     no print() in the application: use logging. Allowed in zhijia/cli.py, management
            commands, bench/ and scripts/.
  raw-sql   no raw SQL (`.raw(`, `.extra(`, `RawSQL(`, `cursor(`) outside queries (queries.py,
            the queries/ packages), search.py, search_sql.py, figure_sql.py, workflow.py,
            migrations, bench/ and tests.
  state     no workflow state compared with a string literal (`x.state == "closed"`, `x.state
            in ("a", "b")`, in templates too) outside the workflows.py that declares the
            states: use the constants (`GRIEVANCE.states.closed`), `record.in_state("closed")`
            or, in a template, `{% if record|in_state:"closed" %}` (zhijia_workflow), which
            check the name against the workflow and fail loudly on a typo.
  gettext   an error raised or answered to the user (a raised exception, or a call of a class
            named *Error, *Refused or *Conflict) carries no Chinese string literal outside _():
            every message goes through gettext.
  inline    templates (*.html) carry no inline <style>, no <script> without src (JSON data
            blocks excepted), no style="" attribute, no on*="" handler, no htmx attribute that
            evaluates JavaScript (hx-on*, hx-vars, hx-vals="js:..."), no javascript: URL and no
            script, stylesheet or image from another site: the Content-Security-Policy
            (settings.py) refuses them all. CSS goes in the module's static .css, behaviour in
            a static .js (zhijia/static/zhijia/app.js has data- attribute helpers).
  settings-default  no `getattr(settings, "X", default)`: every setting and its default live
            in zhijia/settings.py (typed env helpers there); read plain `settings.X`.

A line may opt out with a comment naming the rule and saying why, on the offending line or the
line above, e.g. `# allow: raw-sql FTS5 has no ORM API` (in a template:
`{# allow: inline only ever rendered to PDF #}`). Exit status 1 when a rule is broken.
"""

from __future__ import annotations

import ast
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW_SQL_FILES = {"queries.py", "search.py", "search_sql.py", "figure_sql.py", "workflow.py"}
ALLOW = re.compile(r"#\s*allow:\s*([a-z-]+)\s+\S")


def _is_test(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return (
        "tests" in parts
        or path.name.startswith("test_")
        or path.name == "conftest.py"
        or parts[0] in {"bench", "scripts"}
    )


ERROR_CALLS = ("Error", "Refused", "Conflict", "HttpError")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _raw_chinese(call: ast.Call) -> bool:
    """A Chinese string literal among the call's arguments, not inside another call (such as
    _() or gettext_noop())."""
    stack: list[ast.AST] = [*call.args, *(k.value for k in call.keywords)]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if CJK.search(node.value):
                return True
        elif isinstance(node, ast.JoinedStr | ast.Dict | ast.List | ast.Tuple | ast.BinOp):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _is_management(path: Path, root: Path) -> bool:
    return "management" in path.relative_to(root).parts


def _allowed(lines: list[str], node: ast.AST, rule: str) -> bool:
    start = getattr(node, "lineno", 1)
    end = getattr(node, "end_lineno", start) or start
    for number in range(max(start - 1, 1), end + 1):
        for match in ALLOW.finditer(lines[number - 1]):
            if match.group(1) == rule:
                return True
    return False


# Template syntax is blanked out (same length, newlines kept) before the HTML is parsed, so a
# {% if %} inside a tag hides no attribute and line numbers stay true.
TEMPLATE_SYNTAX = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S
)
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}
OFF_SITE = re.compile(r"^\s*(https?:)?//", re.I)


class _InlineFinder(HTMLParser):
    """Collects (line, message) for everything the Content-Security-Policy would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def _add(self, message: str) -> None:
        self.found.append((self.getpos()[0], message))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        if tag == "style":
            self._add("inline <style>: put the CSS in the module's static .css file")
        if tag == "script":
            kind = values.get("type", "").strip().lower()
            if "src" not in values and kind not in DATA_SCRIPT_TYPES:
                self._add("inline <script>: put it in a static .js file loaded with src=")
            elif OFF_SITE.match(values.get("src", "")):
                self._add("script from another site: serve it from static/")
        stylesheet = tag == "link" and "stylesheet" in values.get("rel", "").lower()
        if stylesheet and OFF_SITE.match(values.get("href", "")):
            self._add("stylesheet from another site: serve it from static/")
        if tag == "img" and OFF_SITE.match(values.get("src", "")):
            self._add("image from another site: serve it from this site")
        for name, value in values.items():
            bare = name.removeprefix("data-")
            if name == "style":
                self._add('style="" attribute: use a class and the static .css file')
            elif re.fullmatch(r"on[a-z]+", name):
                self._add(f'{name}="" handler: add the listener in a static .js file')
            elif bare.startswith("hx-on") or bare == "hx-vars":
                self._add(f"{name}: htmx would evaluate JavaScript; use a static .js listener")
            elif bare == "hx-vals" and value.strip().lower().startswith(("js:", "javascript:")):
                self._add(f"{name} with js: evaluates JavaScript; give plain JSON")
            elif value.strip().lower().startswith("javascript:"):
                self._add(f"javascript: URL in {name}: use a static .js listener")


TEMPLATE_TAG = re.compile(r"\{%.*?%\}", re.S)
TEMPLATE_STATE = re.compile(r"\.state\s*(==|!=)\s*[\"']|\.state\s+(not\s+)?in\s+[\"'(\[]")


def _is_state_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return bool(node.elts) and all(_is_state_literal(e) for e in node.elts)
    return False


def _raw_state_compare(node: ast.Compare) -> bool:
    """`<x>.state == "..."` (or !=, in, not in) against string literals."""
    sides = [node.left, *node.comparators]
    for op, (left, right) in zip(node.ops, zip(sides, sides[1:], strict=False), strict=False):
        if not isinstance(op, ast.Eq | ast.NotEq | ast.In | ast.NotIn):
            continue
        for a, b in ((left, right), (right, left)):
            if isinstance(a, ast.Attribute) and a.attr == "state" and _is_state_literal(b):
                return True
    return False


def check_template(path: Path, root: Path = ROOT) -> list[str]:
    """The [inline] and [state] problems of one template, as "path:line: [rule] message"."""
    rel = path.relative_to(root)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    state_problems = []
    for tag in TEMPLATE_TAG.finditer(text):
        if TEMPLATE_STATE.search(tag.group(0)):
            line = text.count("\n", 0, tag.start()) + 1
            if not re.search(r"\{#\s*allow:\s*state\s+\S", lines[line - 1]):
                state_problems.append(
                    f"{rel}:{line}: [state] raw state comparison: use "
                    '{% if record|in_state:"..." %} (load zhijia_workflow)'
                )
    blank = TEMPLATE_SYNTAX.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    finder = _InlineFinder()
    finder.feed(blank)
    finder.close()
    allow = re.compile(r"\{#\s*allow:\s*inline\s+\S")
    problems = []
    for line, message in finder.found:
        if any(allow.search(lines[n - 1]) for n in (line - 1, line) if 0 < n <= len(lines)):
            continue
        problems.append(f"{rel}:{line}: [inline] {message}")
    return state_problems + problems


def _reads_settings(call: ast.Call) -> bool:
    """getattr(settings, name, default) or getattr(django.conf.settings, ...): a default."""
    if len(call.args) < 3:
        return False
    target = call.args[0]
    return (isinstance(target, ast.Name) and target.id == "settings") or (
        isinstance(target, ast.Attribute) and target.attr == "settings"
    )


def check_file(path: Path, root: Path = ROOT) -> list[str]:
    """The broken rules of one file, as "path:line: [rule] message" lines."""
    if path.suffix == ".html":
        return check_template(path, root)
    rel = path.relative_to(root)
    text = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(text, filename=str(rel))
    except SyntaxError as exc:
        return [f"{rel}:{exc.lineno}: syntax error: {exc.msg}"]
    lines = text.splitlines()
    problems: list[str] = []

    is_test = _is_test(path, root)
    in_layer = path.parent.name
    check_objects = (
        path.name.startswith(("views", "api")) or in_layer in {"views", "api"}
    ) and not is_test
    # rules.py is pure Python without Django, hence without gettext: its messages are marked
    # where an action turns them into a refusal.
    check_gettext = not (is_test or "migrations" in rel.parts or path.name == "rules.py")
    check_print = not (is_test or _is_management(path, root) or rel.as_posix() == "zhijia/cli.py")
    check_sql = not (
        is_test or path.name in RAW_SQL_FILES or in_layer == "queries" or "migrations" in rel.parts
    )
    check_state = not (is_test or path.name == "workflows.py" or "migrations" in rel.parts)

    def report(node: ast.AST, rule: str, message: str) -> None:
        if not _allowed(lines, node, rule):
            problems.append(f"{rel}:{getattr(node, 'lineno', 0)}: [{rule}] {message}")

    raised = {id(node.exc) for node in ast.walk(tree) if isinstance(node, ast.Raise) and node.exc}
    for node in ast.walk(tree):
        if check_state and isinstance(node, ast.Compare) and _raw_state_compare(node):
            report(
                node,
                "state",
                "raw state comparison: use the workflow's constants (WF.states.<code>) or "
                'record.in_state("...")',
            )
        if check_objects and isinstance(node, ast.Attribute) and node.attr == "objects":
            report(node, "objects", "views and API endpoints call queries/actions, not .objects")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else ""
        )
        if isinstance(func, ast.Name) and name == "getattr" and _reads_settings(node):
            report(
                node,
                "settings-default",
                "getattr(settings, ..., default): give the default in zhijia/settings.py "
                "and read settings.X",
            )
        if (
            check_gettext
            and (id(node) in raised or name.endswith(ERROR_CALLS))
            and _raw_chinese(node)
        ):
            report(node, "gettext", "a user-facing message outside _(): wrap it in gettext")
        if check_print and isinstance(func, ast.Name) and name == "print":
            report(node, "print", "print() in application code; use logging")
        if check_sql:
            if isinstance(func, ast.Attribute) and name in {"raw", "extra", "cursor"}:
                report(node, "raw-sql", f".{name}() outside the files allowed raw SQL")
            elif isinstance(func, ast.Name) and name in {"RawSQL", "cursor"}:
                report(node, "raw-sql", f"{name}() outside the files allowed raw SQL")
    return problems


def main(argv: list[str]) -> int:
    targets = [Path(a).resolve() for a in argv] or [ROOT / "zhijia"]
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files.extend(sorted(target.rglob("*.py")))
            files.extend(sorted(target.rglob("*.html")))
        else:
            files.append(target)
    problems: list[str] = []
    for path in files:
        if ".venv" in path.parts:
            continue
        problems.extend(check_file(path))
    for line in problems:
        sys.stdout.write(line + "\n")
    sys.stdout.write(f"check_rules: {len(files)} files, {len(problems)} problem(s)\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
