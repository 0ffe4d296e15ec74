"""`zhijia audit-verify`: check the audit log's hash chain; exit 1 on any problem."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhijia.core.audit import verify_chain
from zhijia.core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (edited, deleted or missing records)."

    def handle(self, *args, **options):
        problems = list(verify_chain())
        if problems:
            for problem in problems:
                self.stderr.write(problem.message)
            raise CommandError(
                _("审计日志校验失败：发现 %(n)d 处问题") % {"n": len(problems)}, returncode=1
            )
        count = AuditEvent.objects.count()
        self.stdout.write(_("审计日志完整：%(n)d 条记录") % {"n": count})
