"""Helpers for safety tests: a real PNG made byte by byte, hazards reported through the action."""

from __future__ import annotations

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from zhijia.org.models import Department
from zhijia.safety import actions


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def photo(name: str = "IMG_0001.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def department(code: str = "D-HR") -> Department:
    return Department.objects.get(code=code)


def report(personas, demo_units, *, who="worker1", unit="B1-G1", place="二号车间配电箱", **kw):
    return actions.do_report_hazard(
        actor=personas[who],
        org_unit=demo_units[unit],
        place=place,
        description=kw.pop("description", "配电箱门锁损坏，电线外露"),
        category=kw.pop("category", "electrical"),
        level=kw.pop("level", "general"),
        photo=kw.pop("photo", None),
    )
