"""A ticket: the smallest record that runs on a workflow, for core.workflow's tests."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhijia.core.models import WorkflowRecord


class Ticket(WorkflowRecord):
    title = models.CharField(max_length=100)
    # No database constraints: this unmigrated app's tables are created before the migrated
    # apps' tables when the test database is built with migrations.
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    def __str__(self) -> str:
        return self.title

    def workflow_department(self):
        return self.department
