"""Scheduled jobs of module assistance, run by the worker's sweep (or cron).

    from zhijia.assistance.jobs import run_daily
    run_daily()          # idempotent: safe to run every sweep; does nothing when nothing is due

Wiring: zhijia/core/management/commands/zhijia_worker.py's run_sweeps() calls it beside the
workflow sweep (each failure logged, none stopping the others).

`zhijia manage assistance_purge` runs it by hand.
"""

from __future__ import annotations

import datetime as dt
import logging

from zhijia.assistance.actions.registry import (
    PurgeReport,
    purge_expired_files,
    remind_reviews_due,
)

logger = logging.getLogger("zhijia.assistance")


def run_daily(*, today: dt.date | None = None) -> dict:
    """Purge the hardship files kept past their retention period (10 years after exit), and
    remind the responsible cadres of yearly reviews falling due (once per review date)."""
    report: PurgeReport = purge_expired_files(today=today)
    if report.files:
        logger.info("assistance purge: %d file(s) %s", len(report.files), report.counts)
    reminded = remind_reviews_due(today=today)
    return {"purged_files": len(report.files), **report.counts, "review_reminders": reminded}
