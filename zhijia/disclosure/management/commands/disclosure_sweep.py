"""`zhijia manage disclosure_sweep`: send due-date reminders and overdue notices once.

The worker runs the same function (zhijia.disclosure.actions.catalogue.sweep_due_dates)
periodically; this command is for cron and for trying it by hand.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zhijia.disclosure.actions.catalogue import sweep_due_dates


class Command(BaseCommand):
    help = "Remind cadres of disclosures due soon and report overdue ones (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="pretend today is this day (YYYY-MM-DD)")

    def handle(self, *, date=None, **options):
        day = None
        if date:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError("--date must be YYYY-MM-DD") from None
        report = sweep_due_dates(day=day)
        self.stdout.write(f"reminders={report['reminders']} overdue={report['overdue']}")
