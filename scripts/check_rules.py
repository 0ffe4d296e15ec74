#!/usr/bin/env python3
"""Project rules that lint cannot see (CONVENTIONS.md, "Habits"). Run by `make test`.

  objects   views.py and api.py never call `Model.objects`: reads go through queries.py,
            writes through actions.py.
  print     no print() in the application: use logging. Allowed in zhijia/cli.py, management
            commands, bench/ and scripts/.
  raw-sql   no raw SQL (`.raw(`, `.extra(`, `RawSQL(`, `cursor(`) outside queries.py, search.py,
            search_sql.py, workflow.py, migrations, bench/ and tests.

A line may opt out with a comment naming the rule and saying why, on the offending line or the
line above, e.g. `# allow: raw-sql FTS5 has no ORM API`. Exit status 1 when a rule is broken.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW_SQL_FILES = {"queries.py", "search.py", "search_sql.py", "workflow.py"}
ALLOW = re.compile(r"#\s*allow:\s*([a-z-]+)\s+\S")


def _is_test(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return (
        "tests" in parts
        or path.name.startswith("test_")
        or path.name == "conftest.py"
        or parts[0] in {"bench", "scripts"}
    )


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


def check_file(path: Path, root: Path = ROOT) -> list[str]:
    """The broken rules of one file, as "path:line: [rule] message" lines."""
    rel = path.relative_to(root)
    text = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(text, filename=str(rel))
    except SyntaxError as exc:
        return [f"{rel}:{exc.lineno}: syntax error: {exc.msg}"]
    lines = text.splitlines()
    problems: list[str] = []

    is_test = _is_test(path, root)
    check_objects = path.name.startswith(("views", "api")) and path.suffix == ".py" and not is_test
    check_print = not (is_test or _is_management(path, root) or rel.as_posix() == "zhijia/cli.py")
    check_sql = not (is_test or path.name in RAW_SQL_FILES or "migrations" in rel.parts)

    def report(node: ast.AST, rule: str, message: str) -> None:
        if not _allowed(lines, node, rule):
            problems.append(f"{rel}:{getattr(node, 'lineno', 0)}: [{rule}] {message}")

    for node in ast.walk(tree):
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
        files.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target])
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
