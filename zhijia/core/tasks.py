"""Background tasks of the shared kernel (django-tasks, database backend).

They run in `zhijia worker`. Tasks take ids, never model instances, and are safe to run twice.
"""

from __future__ import annotations

from django_tasks import task

from zhijia.core import figure_cache
from zhijia.core.notify import deliver


@task()
def send_deliveries(delivery_ids: list[int]) -> dict[str, int]:
    """Send notification deliveries (enqueued by notify() after the action commits)."""
    return deliver(delivery_ids)


@task()
def refresh_figure(figure_key: str, unit_path: str, start: str, end: str, language: str) -> bool:
    """Compute a dashboard figure's kept value again after its data changed (queued by
    zhijia.core.figure_cache.evaluate_or_kept while a page shows the value behind)."""
    return figure_cache.refresh(figure_key, unit_path, start, end, language)
