"""`zhijia seed-demo [--members N]`: the demo union, its accounts, N members and dues history.

Idempotent: the structure and accounts are updated in place, members and dues months that
already exist are left alone, so running it again creates nothing new.
"""

from __future__ import annotations

import importlib
import time

from django.apps import apps
from django.core.management.base import BaseCommand

from zhijia.org import demo


class Command(BaseCommand):
    help = "Create or refresh the demo union: org tree, demo accounts, members, dues history."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=2000, help="members to generate")
        parser.add_argument("--dues-months", type=int, default=6, help="months of dues history")

    def handle(self, *args, members: int, dues_months: int, **options):
        started = time.monotonic()
        demo.ensure_demo_structure()
        demo.ensure_demo_accounts()

        def progress(created: int) -> None:
            if created % 20000 == 0:
                self.stdout.write(f"  {created} members created…")

        created = demo.ensure_demo_members(max(members, 0), progress=progress)
        dues = demo.ensure_demo_dues(max(dues_months, 0))
        reindexed = _refresh_search_index()
        for line in _seed_modules():
            self.stdout.write(f"  {line}")
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"seed-demo: {created} members and {dues} dues records created"
            f"{f', {reindexed} search entries refreshed' if reindexed else ''}"
            f" in {elapsed:.1f}s"
        )
        self.stdout.write("")
        self.stdout.write("Demo accounts (演示账号):")
        for line in demo.demo_accounts_table():
            self.stdout.write("  " + line)


def _seed_modules() -> list[str]:
    """Each zhijia module may offer demo data: a `seed_demo() -> str` in its `demo` module
    (idempotent), called here after the members exist; then each module's optional
    `seed_demo_late() -> str`, for demo data that reads what the other modules seeded (an
    inspection tour's checklist counts their hazards, grievances and disclosures)."""
    lines = []
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("zhijia.") or config.label == "org":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.demo":
                continue
            raise
        modules.append(module)
        seed = getattr(module, "seed_demo", None)
        if callable(seed):
            lines.append(str(seed()))
    for module in modules:
        late = getattr(module, "seed_demo_late", None)
        if callable(late):
            lines.append(str(late()))
    return lines


def _refresh_search_index() -> int:
    """Feed the full-text search index, when the search mechanism offers a rebuild."""
    try:
        from zhijia.org import search
    except ImportError:  # pragma: no cover
        return 0
    rebuild = getattr(search, "reindex_members", None)
    return int(rebuild() or 0) if callable(rebuild) else 0
