"""Background tasks of the shared kernel (django-tasks, database backend).

They run in `zhijia worker`. Tasks take ids, never model instances, and are safe to run twice.
"""

from __future__ import annotations

from django_tasks import task

from zhijia.core.notify import deliver


@task()
def send_deliveries(delivery_ids: list[int]) -> dict[str, int]:
    """Send notification deliveries (enqueued by notify() after the action commits)."""
    return deliver(delivery_ids)
