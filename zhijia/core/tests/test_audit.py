"""The audit log's hash chain and `zhijia audit-verify`: an edited, deleted or truncated log is
reported, and the command exits 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from zhijia.cli import _call
from zhijia.core.audit import record, verify_chain
from zhijia.core.models import AuditEvent

TABLE = AuditEvent._meta.db_table


def _record_five():
    for i in range(1, 6):
        record(
            actor=None,
            action="org.update_member",
            target=("org.member", str(i)),
            data={"changed": {"phone": ["138****0000", f"139****000{i}"]}, "备注": "调整"},
        )


def _sql(statement: str, params=()):
    # Tampering on purpose, behind the application's back, as an attacker with DB access would.
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=connection.ops.quote_name(TABLE)), params)


def _messages() -> list[str]:
    return [p.message for p in verify_chain()]


def test_intact_chain_verifies(db, capsys):
    _record_five()
    assert _messages() == []
    call_command("audit_verify")
    assert capsys.readouterr().out.strip() == "审计日志完整：5 条记录"
    assert _call("audit_verify") == 0


def test_empty_log_verifies(db, capsys):
    call_command("audit_verify")
    assert "审计日志完整：0 条记录" in capsys.readouterr().out


def test_edited_row_is_reported(db, capsys):
    _record_five()
    new_data = json.dumps({"changed": {"phone": ["138****0000", "137****9999"]}})
    if connection.vendor == "postgresql":
        _sql("UPDATE {table} SET data = %s::jsonb WHERE seq = 3", [new_data])
    else:
        _sql("UPDATE {table} SET data = %s WHERE seq = 3", [new_data])
    assert _messages() == ["第 3 条记录的内容已被修改"]
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert excinfo.value.returncode == 1
    assert "第 3 条记录的内容已被修改" in capsys.readouterr().err
    # `zhijia audit-verify` goes through cli._call: exit code 1, message, no traceback.
    assert _call("audit_verify") == 1
    err = capsys.readouterr().err
    assert "第 3 条记录的内容已被修改" in err and "审计日志校验失败" in err


def test_edited_actor_is_reported(db):
    _record_five()
    _sql("UPDATE {table} SET actor_label = %s WHERE seq = 1", ["someone-else"])
    assert _messages() == ["第 1 条记录的内容已被修改"]


def test_deleted_middle_row_is_reported(db):
    _record_five()
    _sql("DELETE FROM {table} WHERE seq = 3")
    messages = _messages()
    assert "缺少第 3–3 条记录（已被删除）" in messages
    assert "第 4 条记录的前序哈希与上一条不符" in messages
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert excinfo.value.returncode == 1


def test_deleted_last_row_is_reported_against_the_head(db):
    _record_five()
    _sql("DELETE FROM {table} WHERE seq = 5")
    assert _messages() == ["日志末尾与链头不符：链头记录到第 5 条，实有 4 条"]
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert excinfo.value.returncode == 1


def test_command_exits_1_in_a_real_process(transactional_db):
    """The exit status a shell (or cron) sees from a tampered log."""
    _record_five()
    _sql("DELETE FROM {table} WHERE seq = 2")
    script = (
        "import sys, django\n"
        "from django.conf import settings\n"
        "settings.DATABASES['default']['NAME'] = sys.argv[1]\n"
        "django.setup()\n"
        "from zhijia.cli import _call\n"
        "sys.exit(_call('audit_verify'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(connection.settings_dict["NAME"])],
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "zhijia.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "缺少第 2–2 条记录（已被删除）" in result.stderr
    assert "Traceback" not in result.stderr
