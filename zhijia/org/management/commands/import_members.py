"""`zhijia import-members FILE [--report out.xlsx]`: import a roster as the system, all or
nothing. Prints progress for long files, then the counts or every rejected row (exit status 1).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhijia.org.importer import ImportRejected, error_report_xlsx, import_roster

_STAGES = {"read": "已读取", "check": "已核对", "write": "已写入"}


class Command(BaseCommand):
    help = "导入花名册（.xlsx 或 .csv），全部成功才写入"

    def add_arguments(self, parser):
        parser.add_argument("file", help="花名册文件（.xlsx 或 .csv）")
        parser.add_argument("--report", help="把错误报告另存为 .xlsx 文件")
        parser.add_argument("--quiet", action="store_true", help="不显示进度")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            # Not CommandError: `zhijia import-members` calls this through call_command,
            # which would show a traceback instead of the message.
            self.stderr.write(_("找不到文件：%(path)s") % {"path": path})
            sys.exit(2)
        started = time.monotonic()
        last = [0.0]

        def progress(stage: str, done: int, total: int | None) -> None:
            now = time.monotonic()
            # Only long files show progress: at most one line a second, from the first second.
            if options["quiet"] or now - started < 1 or (now - last[0] < 1 and done != total):
                return
            last[0] = now
            of = f" / {total}" if total else ""
            self.stderr.write(
                _("%(stage)s %(done)s%(of)s 行（%(s).1f 秒）")
                % {
                    "stage": _(_STAGES.get(stage, stage)),
                    "done": done,
                    "of": of,
                    "s": now - started,
                }
            )

        try:
            result = import_roster(path, actor=None, filename=path.name, progress=progress)
        except ImportRejected as rejected:
            self._report(rejected, options.get("report"))
            sys.exit(1)
        self.stdout.write(
            _("导入成功：新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d")
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
        )
        if result.transferred:
            self.stdout.write(
                _("其中 %(n)d 人所属工会有变化，已记为转移") % {"n": result.transferred}
            )

    def _report(self, rejected: ImportRejected, report_path: str | None) -> None:
        out = self.stderr
        if rejected.bad_rows:
            out.write(
                _("导入失败，未写入任何数据：%(rows)d 行有问题，共 %(n)d 处")
                % {"rows": rejected.bad_rows, "n": len(rejected.errors)}
            )
        else:
            out.write(_("导入失败，未写入任何数据："))
        for error in rejected.errors:
            where = _("第 %(row)d 行") % {"row": error.row} if error.row is not None else _("文件")
            column = f"「{error.column}」" if error.column else ""
            value = f"（{error.value}）" if error.value else ""
            out.write(f"{where} {column}{value}：{error.reason}")
        if report_path:
            Path(report_path).write_bytes(error_report_xlsx(rejected.errors))
            out.write(_("错误报告已保存到 %(path)s") % {"path": report_path})
