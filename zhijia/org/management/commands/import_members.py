"""`zhijia import-members FILE [--create-missing] [--dry-run] [--report out.xlsx]`: import a
roster as the system, all or nothing. Prints progress for long files, then the counts or every
rejected row (exit status 1).

Departments and union units that the file names but the system lacks are listed; without
`--create-missing` nothing is written (exit status 1); with it they are created in the same
transaction as the members (new union groups go under the committee root unless the cell
names a parent, "第一分工会/新班组"). `--dry-run` reads and checks the file, prints what the
import would do and writes nothing (exit status 1 when a row is bad).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhijia.org.actions.roster_import import (
    ImportRejected,
    MissingItem,
    MissingNotConfirmed,
    error_report_xlsx,
    import_roster,
    preview_roster,
)

_STAGES = {"read": "已读取", "check": "已核对", "write": "已写入"}


class Command(BaseCommand):
    help = "导入花名册（.xlsx 或 .csv），全部成功才写入"

    def add_arguments(self, parser):
        parser.add_argument("file", help="花名册文件（.xlsx 或 .csv）")
        parser.add_argument("--report", help="把错误报告另存为 .xlsx 文件")
        parser.add_argument("--quiet", action="store_true", help="不显示进度")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="新建文件中出现而系统中没有的部门和工会小组（不加此项时列出它们，不写入）",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只检查并列出将要新建的部门和工会，不写入"
        )

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

        if options["dry_run"]:
            self._dry_run(path, progress, options.get("report"))
            return
        try:
            result = import_roster(
                path,
                actor=None,
                filename=path.name,
                progress=progress,
                create_missing=options["create_missing"],
            )
        except ImportRejected as rejected:
            self._report(rejected, options.get("report"))
            self._missing(rejected.missing, self.stderr)
            sys.exit(1)
        except MissingNotConfirmed as refused:
            self.stderr.write(_("未写入任何数据：文件中有系统里没有的部门或工会。"))
            self._missing(refused.missing, self.stderr)
            self.stderr.write(_("确认无误后，加上 --create-missing 重新运行即可新建它们并导入。"))
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
        if result.created_departments:
            self.stdout.write(
                _("新建部门 %(n)d 个：%(names)s")
                % {
                    "n": len(result.created_departments),
                    "names": "、".join(result.created_departments),
                }
            )
        if result.created_units:
            self.stdout.write(
                _("新建工会小组 %(n)d 个：%(names)s")
                % {"n": len(result.created_units), "names": "、".join(result.created_units)}
            )

    def _dry_run(self, path: Path, progress, report_path: str | None) -> None:
        try:
            preview = preview_roster(path, actor=None, filename=path.name, progress=progress)
        except ImportRejected as rejected:  # the file as a whole
            self._report(rejected, report_path)
            sys.exit(1)
        self.stdout.write(
            _("试运行，未写入任何数据：共 %(rows)d 行，新会员 %(new)d 人，已有会员 %(old)d 人")
            % {"rows": preview.rows, "new": preview.new_members, "old": preview.existing_members}
        )
        self._missing(preview.missing, self.stdout)
        if preview.errors:
            self._report(ImportRejected(preview.errors), report_path)
            sys.exit(1)
        if preview.missing:
            self.stdout.write(_("正式导入时须加上 --create-missing 以新建上列部门和工会小组。"))

    def _missing(self, missing: list[MissingItem], out) -> None:
        if not missing:
            return
        out.write(_("系统中没有、将新建的部门和工会小组（%(n)d 个）：") % {"n": len(missing)})
        for item in missing:
            out.write(
                _("  %(kind)s %(label)s：%(rows)d 行（首次出现在第 %(first)d 行）")
                % {
                    "kind": item.kind_label,
                    "label": item.label,
                    "rows": item.rows,
                    "first": item.first_row,
                }
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
