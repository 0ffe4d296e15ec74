"""The world of tests/access/test_disclosure.py, built once per module.

The default catalogue, and an item published (with a photo attached) at each target:
"b1" by branch1 for branch 1, "b2" by branch2 for branch 2, "u" by the chair for the whole
union; on each an open question: worker1 asks on "b1" and "u", worker2 on "b2".
Uploads go to a private temporary directory (see test_disclosure.storage).
"""

from __future__ import annotations

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.framework import World, fingerprint, make_clients

TARGETS = ("b1", "b2", "u")


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def photo(name: str = "matrix.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def build_world() -> World:
    from zhijia.disclosure.actions import items as item_actions
    from zhijia.disclosure.actions import questions as question_actions
    from zhijia.disclosure.catalogue import ensure_default_catalogue
    from zhijia.disclosure.models import CatalogueEntry
    from zhijia.disclosure.queries import items as item_queries
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import OrgUnit

    ensure_demo_structure()
    personas = ensure_demo_accounts()
    ensure_default_catalogue()
    units = {u.code: u for u in OrgUnit.objects.all()}
    publisher = {"b1": ("B1", "branch1"), "b2": ("B2", "branch2"), "u": ("U", "chair")}
    asker = {"b1": "worker1", "b2": "worker2", "u": "worker1"}
    items, questions, files = {}, {}, {}
    for t, (code, by) in publisher.items():
        item = item_actions.do_publish_item(
            actor=personas[by],
            unit=units[code],
            title=f"矩阵 {code}",
            body="正文",
            uploads=[photo()],
        )
        items[t] = item.pk
        files[t] = item_queries.current_attachments(item)[0].pk
        questions[t] = question_actions.do_ask_question(
            actor=personas[asker[t]], item=item, text="矩阵的问题"
        ).pk
    data = {
        "personas": personas,
        "units": {code: u.pk for code, u in units.items()},
        "item": items,
        "question": questions,
        "file": files,
        "entry": CatalogueEntry.objects.get(code="team-bonus").pk,
    }

    def ids(persona: str, target) -> dict:
        values = {"entry": data["entry"]}
        if target in TARGETS:
            values.update({key: data[key][target] for key in ("item", "question", "file")})
        return values

    return World(
        data=data, ids=ids, fingerprint=disclosure_fingerprint, clients=make_clients(personas)
    )


def disclosure_fingerprint() -> tuple:
    from zhijia.core.models import Attachment
    from zhijia.disclosure.models import (
        CatalogueEntry,
        Item,
        ItemRevision,
        Question,
        ReadReceipt,
    )

    return fingerprint(Item, ItemRevision, Question, ReadReceipt, CatalogueEntry, Attachment)
