"""Escalate overdue records and send deadline reminders for every registered workflow.

    zhijia manage sweep_deadlines [--workflow NAME ...]

Safe to run as often as wanted (every few minutes from the worker or cron): each deadline is
escalated once and reminded once.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhijia.core.workflow import registered_workflows, sweep_all


class Command(BaseCommand):
    help = "Escalate overdue records and send deadline reminders for every workflow."

    def add_arguments(self, parser):
        parser.add_argument(
            "--workflow",
            action="append",
            dest="workflows",
            metavar="NAME",
            help="only this workflow (repeatable)",
        )

    def handle(self, *args, workflows=None, **options):
        registry = registered_workflows()
        names = workflows or list(registry)
        unknown = [n for n in names if n not in registry]
        if unknown:
            raise CommandError(_("未登记的流程：%(names)s") % {"names": "、".join(unknown)})
        # Without --workflow, the modules' own jobs (e.g. opening the anonymous box) run too.
        for name, counts in sweep_all(workflows or None).items():
            if "done" in counts:  # a module job (register_sweep)
                line = _("%(name)s：处理 %(done)d 件") % {"name": name, **counts}
            else:
                line = _("%(name)s：超期升级 %(escalated)d 件，到期提醒 %(reminded)d 件") % {
                    "name": name,
                    **counts,
                }
            self.stdout.write(line)
