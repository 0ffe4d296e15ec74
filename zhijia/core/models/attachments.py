"""Uploaded files: metadata here, bytes in the default storage (outside the web root).

Files are only ever served by `zhijia.core.views_files` after the owning record's access
function (registered with `zhijia.core.attachments.register_owner`) allowed it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Attachment"]


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("图片")
        PDF = "pdf", _("PDF 文档")
        OFFICE = "office", _("Office 文档")
        TEXT = "text", _("文本")
        VIDEO = "video", _("视频")

    # A random key: attachment ids appear in URLs and must not be guessable or countable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    # The MIME type sniffed from the content, never the browser's claim.
    content_type = models.CharField(_("文件类型"), max_length=100)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.BigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64, db_index=True)
    # Random name inside the storage; the original name never touches the file system.
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # The record the file belongs to; empty between upload and the form being saved.
    owner_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    owner_id = models.CharField(max_length=64, null=True, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    # The org unit of the owning record, for scope-based listings and cleanup reports.
    unit_path = models.CharField(max_length=255, blank=True, default="", db_index=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at"]
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def owner_label(self) -> str | None:
        """The owning record's "app_label.model", the key of the access registry."""
        if self.owner_type_id is None:
            return None
        ct = ContentType.objects.get_for_id(self.owner_type_id)
        return f"{ct.app_label}.{ct.model}"
