"""Attachments: uploads checked by their content, kept outside the web root, served after a
permission check.

In a module:

    # apps.py ready() or the module's permissions.py, once:
    attachments.register_owner("cases.grievance", queries.access_grievance)

    # actions.py, inside the action's transaction (errors are ValidationError in Chinese,
    # for form.add_error("file", error)):
    att = attachments.save_upload(request.FILES["file"], actor=user, allowed={"image", "pdf"},
                                  owner=grievance, unit_path=grievance.unit.path)

    # templates: {% url 'files:attachment-download' att.id %}; a module with its own rules
    # (e.g. an anonymous worker with a receipt code) calls serve_attachment(request, att, ok).

The access function is called as `access_fn(user, owner_id)` and allows the download when it
returns a truthy value (the `access_<noun>` helpers return the record); returning a falsy
value or raising Http404 / PermissionDenied / DoesNotExist refuses it (answered with 404).
Records whose model has no registered access function are never served (deny by default).
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.models import Attachment

__all__ = [
    "attach",
    "attachments_for",
    "can_access",
    "cleanup_unattached",
    "delete_attachment",
    "get_attachment_or_404",
    "register_owner",
    "save_upload",
    "serve_attachment",
]

log = logging.getLogger(__name__)

SNIFF_BYTES = 8192
MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class FileType:
    kind: str  # Attachment.Kind value
    mime: str
    extensions: frozenset[str]  # accepted name endings, without the dot
    label: str


# The whitelist. Anything else is refused, whatever its name or the browser says.
JPEG = FileType("image", "image/jpeg", frozenset({"jpg", "jpeg"}), "JPEG")
PNG = FileType("image", "image/png", frozenset({"png"}), "PNG")
WEBP = FileType("image", "image/webp", frozenset({"webp"}), "WebP")
GIF = FileType("image", "image/gif", frozenset({"gif"}), "GIF")
PDF = FileType("pdf", "application/pdf", frozenset({"pdf"}), "PDF")
DOCX = FileType(
    "office",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    frozenset({"docx"}),
    "Word",
)
XLSX = FileType(
    "office",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    frozenset({"xlsx"}),
    "Excel",
)
TEXT = FileType("text", "text/plain", frozenset({"txt"}), "文本")
CSV = FileType("text", "text/csv", frozenset({"csv"}), "CSV")
# Video (a course's material, services.learning): MP4 only, the one every phone plays.
MP4 = FileType("video", "video/mp4", frozenset({"mp4"}), "MP4")

_BY_MIME = {t.mime: t for t in (JPEG, PNG, WEBP, GIF, PDF, MP4)}
_ZIP_MIMES = {
    "application/zip",
    DOCX.mime,
    XLSX.mime,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# Main part content types in [Content_Types].xml; the macro-enabled variants are not accepted.
_OOXML_MAIN = {
    DOCX: ("word/document.xml", "wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
}
INLINE_KINDS = {"image"}


# --- checking an upload ------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """The file name without any directory part, control characters or leading dots."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_NAME_CHARS - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME_CHARS]
    return name


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower()


def _ooxml_type(fileobj) -> FileType | None:
    """Which Office Open XML document a zip is, from its entries (None: some other zip)."""
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as zf:
            names = set(zf.namelist())
            if "[Content_Types].xml" not in names:
                return None
            info = zf.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                return None
            content_types = zf.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    for kind, (main_part, main_type) in _OOXML_MAIN.items():
        if main_part in names and main_type in content_types:
            return kind
    return None


def _is_utf8_text(fileobj) -> bool:
    fileobj.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in iter(lambda: fileobj.read(64 * 1024), b""):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff(fileobj, name: str) -> tuple[FileType | None, str]:
    """(whitelisted type or None, a short description of what the content really is)."""
    fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    guess = filetype.guess(head)
    if guess is not None:
        if guess.mime in _BY_MIME:
            return _BY_MIME[guess.mime], guess.extension
        if guess.mime in _ZIP_MIMES or head.startswith(b"PK\x03\x04"):
            found = _ooxml_type(fileobj)
            return found, (found.label if found else guess.extension)
        return None, guess.extension
    if head.startswith(b"PK\x03\x04"):
        found = _ooxml_type(fileobj)
        return found, (found.label if found else "zip")
    if _is_utf8_text(fileobj):
        return (CSV if _extension(name) == "csv" else TEXT), "text"
    return None, _extension(name) or _("未知")


def _reject(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check_upload(uploaded_file, *, allowed: set[str], max_bytes: int | None = None) -> FileType:
    """The file's real type, or ValidationError with the reason in Chinese."""
    max_bytes = max_bytes if max_bytes is not None else settings.ZHIJIA_ATTACHMENT_MAX_BYTES
    size = uploaded_file.size
    if size is None or size > max_bytes:
        raise _too_large(max_bytes)
    if size == 0:
        raise _reject(_("文件是空的"), "empty")
    name = clean_name(uploaded_file.name)
    found, what = sniff(uploaded_file, name)
    if found is None or found.kind not in allowed:
        raise _reject(_("不支持的文件类型：%(type)s") % {"type": what}, "type")
    if _extension(name) not in found.extensions:
        raise _reject(_("文件内容与扩展名不符"), "mismatch")
    return found


def _format_limit(max_bytes: int) -> str:
    if max_bytes >= 1024 * 1024:
        return f"{max_bytes / (1024 * 1024):g} MB"
    return f"{max_bytes / 1024:g} KB"


def _too_large(max_bytes: int) -> ValidationError:
    return _reject(_("文件过大，最大 %(limit)s") % {"limit": _format_limit(max_bytes)}, "too_large")


# --- storing -----------------------------------------------------------------------------------


def _storage_name() -> str:
    # Random, no trace of the original name; a year/month folder keeps directories small.
    return timezone.now().strftime("attachments/%Y/%m/") + secrets.token_hex(16)


def save_upload(
    uploaded_file,
    *,
    actor,
    allowed: set[str],
    max_bytes: int | None = None,
    owner=None,
    unit_path: str = "",
) -> Attachment:
    """Check and store an upload; raises ValidationError (Chinese message) when refused.

    `actor` may be None (an anonymous grievance keeps no user). With `owner` the attachment
    is attached to that record at once; otherwise call `attach` when the record exists.
    """
    found = check_upload(uploaded_file, allowed=allowed, max_bytes=max_bytes)
    limit = max_bytes if max_bytes is not None else settings.ZHIJIA_ATTACHMENT_MAX_BYTES
    digest = hashlib.sha256()
    size = 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
        size += len(chunk)
    if size > limit:  # the declared size lied
        raise _too_large(limit)
    uploaded_file.seek(0)
    stored = default_storage.save(_storage_name(), uploaded_file)
    name = clean_name(uploaded_file.name) or f"{_('附件')}.{next(iter(found.extensions))}"
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                kind=found.kind,
                content_type=found.mime,
                original_name=name,
                size=size,
                sha256=digest.hexdigest(),
                storage_name=stored,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
            )
            if owner is not None:
                _set_owner(attachment, owner, unit_path)
            record(
                actor=actor,
                action="core.upload_attachment",
                target=attachment,
                data={"name": name, "size": size, "sha256": attachment.sha256},
            )
    except Exception:
        default_storage.delete(stored)
        raise
    # If the caller's transaction rolls back later, the file stays as an orphan until
    # cleanup_unattached() removes it.
    return attachment


def _set_owner(attachment: Attachment, owner, unit_path: str | None) -> None:
    attachment.owner_type = ContentType.objects.get_for_model(owner)
    attachment.owner_id = str(owner.pk)
    if unit_path is not None:
        attachment.unit_path = unit_path
    attachment.save(update_fields=["owner_type", "owner_id", "unit_path"])


@transaction.atomic
def attach(attachment: Attachment, owner, *, actor, unit_path: str | None = None) -> Attachment:
    """Bind an uploaded (still unattached) file to its record."""
    if attachment.owner_type_id is not None:
        same = attachment.owner_type_id == ContentType.objects.get_for_model(owner).pk
        if not (same and attachment.owner_id == str(owner.pk)):
            raise ValidationError(_("该附件已属于其他记录"), code="attached")
    _set_owner(attachment, owner, unit_path)
    record(
        actor=actor,
        action="core.attach_attachment",
        target=attachment,
        data={"owner": f"{attachment.owner_label}:{attachment.owner_id}"},
    )
    return attachment


def attachments_for(owner):
    """The attachments of one record, oldest first."""
    return Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=str(owner.pk)
    ).order_by("uploaded_at")


@transaction.atomic
def delete_attachment(attachment: Attachment, *, actor) -> None:
    """Delete the row and, once the transaction commits, the file."""
    storage_name = attachment.storage_name
    record(
        actor=actor,
        action="core.delete_attachment",
        target=attachment,
        data={"name": attachment.original_name, "sha256": attachment.sha256},
    )
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(storage_name))


def cleanup_unattached(older_than: timedelta = timedelta(days=1)) -> int:
    """Remove uploads never attached to a record (abandoned forms, rolled-back actions) and
    stored files no row refers to. Returns the number of files removed."""
    cutoff = timezone.now() - older_than
    removed = 0
    for att in Attachment.objects.filter(owner_type__isnull=True, uploaded_at__lt=cutoff):
        default_storage.delete(att.storage_name)
        att.delete()
        removed += 1
    known = set(Attachment.objects.values_list("storage_name", flat=True))
    for path in _walk("attachments"):
        if path in known:
            continue
        try:
            modified = default_storage.get_modified_time(path)
        except OSError:
            continue
        if modified < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed


def _walk(folder: str):
    try:
        dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for f in files:
        yield f"{folder}/{f}"
    for d in dirs:
        yield from _walk(f"{folder}/{d}")


# --- who may download --------------------------------------------------------------------------

AccessFn = Callable[[Any, str], Any]
_OWNERS: dict[str, AccessFn] = {}


def register_owner(model_label: str, access_fn: AccessFn) -> None:
    """Declare how to check access to the attachments of records of `model_label`
    ("app_label.modelname", lower case, as in Model._meta.label_lower)."""
    label = model_label.lower()
    existing = _OWNERS.get(label)
    if existing is not None and existing is not access_fn:
        log.warning("attachment access function for %s replaced", label)
    _OWNERS[label] = access_fn


def can_access(user, attachment: Attachment) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    label = attachment.owner_label
    if label is None or attachment.owner_id is None:
        # Not attached yet: only the uploader sees it (e.g. a preview in the form).
        return attachment.uploaded_by_id is not None and attachment.uploaded_by_id == user.pk
    access_fn = _OWNERS.get(label)
    if access_fn is None:
        log.warning("no attachment access function registered for %s", label)
        return False
    try:
        return bool(access_fn(user, attachment.owner_id))
    except (Http404, PermissionDenied, ObjectDoesNotExist):
        return False


def get_attachment_or_404(attachment_id) -> Attachment:
    try:
        return Attachment.objects.get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def content_disposition(name: str, *, as_attachment: bool = True) -> str:
    """RFC 6266 header: an ASCII fallback name plus the real one in UTF-8 (RFC 5987)."""
    disposition = "attachment" if as_attachment else "inline"
    printable = all(32 <= ord(ch) < 127 for ch in name)
    fallback = name if printable else "attachment" + os.path.splitext(name)[1]
    fallback = "".join("_" if ch in '"\\;%' or not 32 <= ord(ch) < 127 else ch for ch in fallback)
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


_SAFE_MIME = re.compile(r"^[a-z]+/[a-z0-9.+-]+$")


def serve_attachment(request, attachment: Attachment, allowed: bool, *, inline: bool = False):
    """The file as a download, or 404 when `allowed` is false (existence is not revealed).

    `inline=True` shows images in the page; every other kind is always a download.
    """
    if not allowed:
        raise Http404
    try:
        fh = default_storage.open(attachment.storage_name, "rb")
    except (FileNotFoundError, OSError):
        log.error("attachment %s: stored file %s missing", attachment.pk, attachment.storage_name)
        raise Http404 from None
    as_attachment = not (inline and attachment.kind in INLINE_KINDS)
    mime = attachment.content_type if _SAFE_MIME.match(attachment.content_type) else ""
    response = FileResponse(fh, content_type=mime or "application/octet-stream")
    response["Content-Length"] = str(attachment.size)
    response["Content-Disposition"] = content_disposition(
        attachment.original_name, as_attachment=as_attachment
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Never rendered as a page of this site, even if a browser were to try.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
