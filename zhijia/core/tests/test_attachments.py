"""Attachments: content sniffing, limits, storage, and the permission-checked download."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, reverse

from zhijia.core import attachments
from zhijia.core.models import Attachment, AuditEvent
from zhijia.core.permissions import has_perm
from zhijia.urls import urlpatterns as _site_urlpatterns

# The lead includes zhijia.core.urls_files in zhijia/urls.py; this test urlconf does the same
# so the tests do not depend on that edit.
urlpatterns = [
    *[p for p in _site_urlpatterns if getattr(p, "namespace", None) != "files"],
    path("files/", include("zhijia.core.urls_files")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

ALL_KINDS = {"image", "pdf", "office", "text"}


# --- sample files made here, byte for byte -------------------------------------------------


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


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def ooxml_bytes(main_part: str, main_type: str) -> bytes:
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="application/'
        f'vnd.openxmlformats-officedocument.{main_type}"/></Types>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", "<Relationships/>")
        zf.writestr(main_part, "<document>职工之家</document>")
    return buf.getvalue()


def docx_bytes() -> bytes:
    return ooxml_bytes("word/document.xml", "wordprocessingml.document.main+xml")


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["工号", "姓名"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def exe_bytes() -> bytes:
    # DOS header with the PE offset at 0x3c, then the PE signature.
    header = bytearray(b"MZ" + b"\x00" * 126)
    header[0x3C:0x40] = struct.pack("<I", 0x80)
    return bytes(header) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    # The browser's content type is deliberately wrong in many tests: it must not matter.
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _private_storage(private_storage):
    return private_storage


def refused(file, allowed=None, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        attachments.save_upload(file, actor=None, allowed=allowed or ALL_KINDS, **kwargs)
    assert Attachment.objects.count() == 0
    return exc.value


# --- what is accepted ----------------------------------------------------------------------


def test_real_png_is_accepted_and_stored_privately(personas, _private_storage):
    content = png_bytes()
    att = attachments.save_upload(
        upload("../../etc/加班记录.PNG", content, "application/octet-stream"),
        actor=personas["worker1"],
        allowed={"image"},
    )
    assert att.kind == "image"
    assert att.content_type == "image/png"
    assert att.original_name == "加班记录.PNG"  # directory parts stripped
    assert att.size == len(content)
    assert len(att.sha256) == 64
    assert att.uploaded_by == personas["worker1"]
    assert att.owner is None
    # Stored under a random name in the private storage, no trace of the original name.
    stored = _private_storage / att.storage_name
    assert stored.read_bytes() == content
    assert "加班" not in att.storage_name and "etc" not in att.storage_name
    assert AuditEvent.objects.filter(action="core.upload_attachment", target_id=str(att.pk))


@pytest.mark.parametrize(
    ("name", "make", "kind", "mime"),
    [
        ("证明.pdf", pdf_bytes, "pdf", "application/pdf"),
        (
            "报告.docx",
            docx_bytes,
            "office",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "名册.xlsx",
            xlsx_bytes,
            "office",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("说明.txt", lambda: "职工之家\n第二行".encode(), "text", "text/plain"),
        ("名单.csv", lambda: "\ufeff工号,姓名\nE0001,王建国\n".encode(), "text", "text/csv"),
        (
            "photo.JPG",
            lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64,
            "image",
            "image/jpeg",
        ),
        ("anim.gif", lambda: b"GIF89a" + b"\x00" * 64, "image", "image/gif"),
    ],
)
def test_whitelisted_types_are_detected_from_content(name, make, kind, mime):
    att = attachments.save_upload(upload(name, make(), "text/html"), actor=None, allowed=ALL_KINDS)
    assert (att.kind, att.content_type) == (kind, mime)


# --- what is refused -----------------------------------------------------------------------


def test_html_named_png_is_refused():
    html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
    error = refused(upload("photo.png", html, "image/png"))
    assert error.messages == ["文件内容与扩展名不符"]
    # The same HTML is not an image either when only images are allowed.
    error = refused(upload("photo.png", html), allowed={"image"})
    assert error.messages == ["不支持的文件类型：text"]


def test_exe_named_png_is_refused():
    error = refused(upload("photo.png", exe_bytes()))
    assert error.messages == ["不支持的文件类型：exe"]


def test_png_named_pdf_is_refused():
    assert refused(upload("证明.pdf", png_bytes())).messages == ["文件内容与扩展名不符"]


def test_kind_not_allowed_for_this_use():
    error = refused(upload("证明.pdf", pdf_bytes()), allowed={"image"})
    assert error.messages == ["不支持的文件类型：pdf"]


def test_oversize_is_refused(settings):
    error = refused(upload("big.png", png_bytes() + b"\x00" * 2048), max_bytes=1024)
    assert error.messages == ["文件过大，最大 1 KB"]
    settings.ZHIJIA_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = png_bytes() + b"\x00" * (1024 * 1024)
    assert refused(upload("big.png", big)).messages == ["文件过大，最大 1 MB"]


def test_default_limit_message_is_20_mb():
    file = upload("x.png", png_bytes())
    file.size = 20 * 1024 * 1024 + 1  # what Django reports for a 20 MB + 1 byte upload
    assert refused(file).messages == ["文件过大，最大 20 MB"]


def test_empty_file_is_refused():
    assert refused(upload("x.txt", b"")).messages == ["文件是空的"]


def test_plain_zip_named_docx_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<x/>")  # no [Content_Types].xml
    error = refused(upload("报告.docx", buf.getvalue()))
    assert error.messages[0].startswith("不支持的文件类型：")


def test_macro_enabled_workbook_is_refused():
    content = ooxml_bytes("xl/workbook.xml", "spreadsheetml.sheet.macroEnabled.main+xml")
    assert refused(upload("表.xlsx", content)).messages[0].startswith("不支持的文件类型")


def test_docx_named_xlsx_is_refused():
    assert refused(upload("表.xlsx", docx_bytes())).messages == ["文件内容与扩展名不符"]


def test_binary_or_non_utf8_text_is_refused():
    assert refused(upload("a.txt", b"abc\x00def")).messages[0].startswith("不支持的文件类型")
    gbk = "工号,姓名".encode("gbk")
    assert refused(upload("a.csv", gbk)).messages[0].startswith("不支持的文件类型")


def test_clean_name():
    assert attachments.clean_name("C:\\Users\\x\\合同.docx") == "合同.docx"
    assert attachments.clean_name("../../.htaccess") == "htaccess"
    assert attachments.clean_name("a\x00b\r\n.pdf") == "ab.pdf"
    long = attachments.clean_name("长" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")


# --- attaching and the download view -------------------------------------------------------


@pytest.fixture
def unit_access(monkeypatch):
    """A throwaway owner type: org units, readable by whoever may view that unit."""
    from zhijia.org.models import OrgUnit

    monkeypatch.setattr(attachments, "_OWNERS", {})

    def access_unit(user, owner_id):
        unit = OrgUnit.objects.get(pk=owner_id)
        return unit if has_perm(user, "org.view_units", unit=unit) else None

    attachments.register_owner("org.orgunit", access_unit)
    return OrgUnit.objects.get(code="B1")


@pytest.fixture
def b1_file(personas, unit_access):
    return attachments.save_upload(
        upload('加班 证明"2024".png', png_bytes()),
        actor=personas["branch1"],
        allowed={"image"},
        owner=unit_access,
        unit_path=unit_access.path,
    )


def url(att) -> str:
    return reverse("files:attachment-download", args=[att.pk])


def test_download_allowed_user_gets_file_with_safe_headers(login, b1_file):
    response = login("branch1").get(url(b1_file))
    assert response.status_code == 200
    # Consuming the stream closes the file (the test client wraps it).
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(b1_file.size)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + quote('加班 证明"2024".png', safe="") in disposition
    assert 'filename="attachment.png"' in disposition
    assert "no-store" in response["Cache-Control"]
    # The chair's scope covers branch1 as well.
    chair = login("chair").get(url(b1_file))
    assert chair.status_code == 200
    assert b"".join(chair.streaming_content) == png_bytes()


def test_download_inline_only_for_images(login, b1_file):
    response = login("branch1").get(url(b1_file) + "?inline=1")
    assert response["Content-Disposition"].startswith("inline;")
    b"".join(response.streaming_content)


@pytest.mark.parametrize("username", ["branch2", "worker1", "worker2", "handler1"])
def test_download_outsider_gets_404(login, b1_file, username):
    assert login(username).get(url(b1_file)).status_code == 404


def test_download_anonymous_is_sent_to_login(client, b1_file):
    response = client.get(url(b1_file))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_download_unknown_id_and_unregistered_owner_404(login, personas, b1_file, monkeypatch):
    import uuid

    c = login("branch1")
    assert c.get(reverse("files:attachment-download", args=[uuid.uuid4()])).status_code == 404
    monkeypatch.setattr(attachments, "_OWNERS", {})  # deny by default
    assert c.get(url(b1_file)).status_code == 404


def test_unattached_file_only_for_its_uploader(login, personas, unit_access):
    att = attachments.save_upload(
        upload("草稿.png", png_bytes()), actor=personas["worker1"], allowed={"image"}
    )
    ok = login("worker1").get(url(att))
    assert ok.status_code == 200
    assert b"".join(ok.streaming_content) == png_bytes()
    assert login("chair").get(url(att)).status_code == 404
    # Once attached, the record's rule decides: worker1 may not view the unit.
    attachments.attach(att, unit_access, actor=personas["worker1"], unit_path=unit_access.path)
    assert login("worker1").get(url(att)).status_code == 404
    assert list(attachments.attachments_for(unit_access)) == [att]


def test_attach_to_a_second_record_is_refused(personas, b1_file):
    from zhijia.org.models import OrgUnit

    other = OrgUnit.objects.get(code="B2")
    with pytest.raises(ValidationError):
        attachments.attach(b1_file, other, actor=personas["branch2"])


def test_serve_attachment_refuses_when_not_allowed(rf, b1_file):
    from django.http import Http404

    with pytest.raises(Http404):
        attachments.serve_attachment(rf.get("/"), b1_file, allowed=False)


def test_delete_attachment_removes_the_file(
    personas, b1_file, _private_storage, django_capture_on_commit_callbacks
):
    stored = _private_storage / b1_file.storage_name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        attachments.delete_attachment(b1_file, actor=personas["branch1"])
    assert not stored.exists()
    assert not Attachment.objects.exists()


def test_cleanup_unattached(personas, b1_file, _private_storage):
    draft = attachments.save_upload(
        upload("草稿.png", png_bytes()), actor=personas["worker1"], allowed={"image"}
    )
    orphan = default_storage.save("attachments/2020/01/orphan", io.BytesIO(b"x"))
    assert attachments.cleanup_unattached() == 0  # everything is recent
    assert (_private_storage / orphan).exists()
    with time_machine.travel(timedelta(days=2), tick=False):
        assert attachments.cleanup_unattached() == 2
    assert list(Attachment.objects.all()) == [b1_file]
    assert not (_private_storage / draft.storage_name).exists()
    assert (_private_storage / b1_file.storage_name).exists()
    assert not (_private_storage / orphan).exists()
