"""Reads of the anonymous box (意见箱): looking a letter up by its receipt code."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from zhijia.cases.models import (
    BoxItem,
    Grievance,
)
from zhijia.core import receipts

# The receipt-code rate limit's scope (zhijia.core.receipts) of the anonymous box.
RECEIPT_SCOPE = "cases.grievance"


@dataclass(frozen=True)
class ReceiptLookup:
    grievance: Grievance | None = None
    sealed: BoxItem | None = None  # still in the box: not opened yet


def find_by_receipt(code: str) -> ReceiptLookup | None:
    """The anonymous grievance (or the sealed submission) a receipt code belongs to."""
    digest = receipts.receipt_digest(code)
    if not digest:
        return None
    g = (
        Grievance.objects.select_related("handling_unit", "department")
        .filter(receipt_digest=digest)
        .first()
    )
    if g is not None:
        return ReceiptLookup(grievance=g)
    item = BoxItem.objects.filter(receipt_digest=digest, kind=BoxItem.Kind.SUBMIT).first()
    return ReceiptLookup(sealed=item) if item is not None else None


def pending_box_items(grievance: Grievance) -> QuerySet[BoxItem]:
    """What the anonymous worker sent that waits for the next opening."""
    return BoxItem.objects.filter(grievance=grievance).order_by("kind")
