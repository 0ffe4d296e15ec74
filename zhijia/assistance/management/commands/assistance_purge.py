"""Purge hardship files kept past their retention period (10 years after exit by default).

    zhijia manage assistance_purge

Safe to run at any time; the worker runs the same job (zhijia.assistance.jobs.run_daily).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhijia.assistance.jobs import run_daily


class Command(BaseCommand):
    help = "Purge hardship files whose retention period after exit has passed."

    def handle(self, *args, **options):
        result = run_daily()
        self.stdout.write(_("已销毁困难职工档案 %(n)d 份") % {"n": result["purged_files"]})
