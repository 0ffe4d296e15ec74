"""The anonymous box (匿名信箱): what an anonymous worker writes, and its daily opening.

What an anonymous worker does at the moment they do it writes exactly one row, a `BoxItem`
with a random id, the day (no time), what they wrote, and for a new grievance the keyed digest
of its receipt code. No user, IP address, user agent, session or time of day is stored, no
audit or workflow event and no notification is written then: each of those carries a precise
time or a place in a sequence shared with named activity (the audit chain's `seq`, the
workflow events' ids, inbox rows), which could be matched against what the same person did
under their name a moment earlier.

Once a day the worker's sweep opens the box (`open_box`, run through
zhijia.core.workflow.register_sweep): every item received on an earlier day is applied, in
random order, at the opening's time: a new grievance is routed and its workflow started (actor
None), a message is added, a rating is applied. Their audit and workflow events, messages and
notifications carry the opening's time and sit together in the sequences, so they say only
"received that day", like a physical box emptied every morning. The worker is told so on the
page, and the answer deadline counts from the day they wrote.

What remains, documented for a reviewer (see also docs in the module's tests):
- the day the worker wrote (`received_on`), by design;
- the organisation they chose to address (the committee or a branch union, never a group);
- the content they wrote, which may identify them by what it says (the form tells them);
- web server access logs record, per request, time, method, path, status and size (no address,
  no query string, no body; zhijia/cli.py): a POST to the box's path is visible as such, but
  not who sent it; the application logs nothing of these requests;
- on PostgreSQL a live database keeps transaction ids (xmin) of rows until they are rewritten;
  a BoxItem's xmin orders it among other transactions until the opening deletes it. Dumps
  (pg_dump, `zhijia backup`) do not contain them. SQLite keeps rows in primary-key order, and
  the keys are random.
- the session middleware may refresh the signed-in user's "last seen" stamp (at most once a
  minute) on any request, this one included: it says the account was active, nothing about
  the box, and the box item has no time to compare it with.
"""

from __future__ import annotations

import logging
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.cases.actions import grievances
from zhijia.cases.errors import CasesRefused
from zhijia.cases.models import BoxItem, Category, Grievance
from zhijia.cases.queries import grievances as queries
from zhijia.core import receipts, satisfaction, workdays

logger = logging.getLogger(__name__)


def _today():
    return workdays.local_date(timezone.now())


def do_put_in_box(*, kind: str, category: str, org_unit, text: str) -> tuple[BoxItem, str]:
    """A new anonymous grievance. Returns the item and the receipt code (show it once)."""
    errors = {}
    if kind not in dict(Grievance.Kind.choices):
        errors["kind"] = _("请选择有效的选项")
    if category not in dict(Category.choices):
        errors["category"] = _("请选择有效的选项")
    if org_unit is None or org_unit.pk not in set(
        queries.anonymous_unit_choices().values_list("pk", flat=True)
    ):
        errors["org_unit"] = _("请选择工会组织")
    try:
        text = grievances.clean_text(text)
    except CasesRefused as exc:
        errors.update({k: v[0] for k, v in exc.errors.items()})
    if errors:
        raise CasesRefused.for_fields(errors)
    code = receipts.new_receipt_code()
    item = BoxItem(
        kind=BoxItem.Kind.SUBMIT,
        received_on=_today(),
        case_kind=kind,
        category=category,
        org_unit=org_unit,
        text=text,
        receipt_digest=receipts.receipt_digest(code),
    )
    grievances.save_new(item)
    return item, code


def _opened(grievance: Grievance | None) -> Grievance:
    """The grievance a receipt code follows: none while its item still waits in the box."""
    if grievance is None:
        raise CasesRefused(_("信箱开启后才能补充信息或评价"), status=409)
    return grievance


def do_box_message(*, grievance: Grievance | None, text: str) -> BoxItem:
    """Information an anonymous worker adds (with the receipt code), delivered at the opening."""
    grievance = _opened(grievance)
    if not grievance.in_state("submitted", "assigned", "answered"):
        raise CasesRefused(_("该诉求已办结，不能再补充信息"), field="text")
    text = grievances.clean_text(text, field="text", max_length=2000)
    item = BoxItem(kind=BoxItem.Kind.MESSAGE, received_on=_today(), grievance=grievance, text=text)
    grievances.save_new(item)
    return item


def do_box_rating(*, grievance: Grievance | None, rating: str, comment: str = "") -> BoxItem:
    """An anonymous worker's rating, applied at the opening."""
    grievance = _opened(grievance)
    if not grievance.in_state("answered"):
        raise CasesRefused(_("诉求答复后才能评价"), field="rating")
    outcome = satisfaction.outcome(rating, grievance.reopen_count)
    if outcome == "invalid":
        raise CasesRefused(_("请选择满意度"), field="rating")
    comment = (comment or "").strip()[:1000]
    if outcome == "reopen" and not comment:
        raise CasesRefused(_("评价不满意时，请写明哪里不满意"), field="comment")
    if BoxItem.objects.filter(grievance=grievance, kind=BoxItem.Kind.RATE).exists():
        raise CasesRefused(_("您的评价已收到，将在下次开箱时生效"), field="rating")
    item = BoxItem(
        kind=BoxItem.Kind.RATE,
        received_on=_today(),
        grievance=grievance,
        rating=rating,
        text=comment,
    )
    grievances.save_new(item)
    return item


# --- the opening ----------------------------------------------------------------------------------


def _open_item(item: BoxItem, now) -> None:
    if item.kind == BoxItem.Kind.SUBMIT:
        grievance = Grievance(
            kind=item.case_kind,
            category=item.category,
            text=item.text,
            is_anonymous=True,
            submitter=None,
            org_unit=item.org_unit,
            received_on=item.received_on,
            receipt_digest=item.receipt_digest,
        )
        item.receipt_digest = None
        item.save(update_fields=["receipt_digest"])
        grievances.open_grievance(grievance, actor=None)
        return
    grievance = Grievance.objects.select_for_update(of=("self",)).get(pk=item.grievance_id)  # type: ignore[misc]
    if item.kind == BoxItem.Kind.MESSAGE:
        try:
            grievances.add_worker_message(grievance, actor=None, text=item.text, now=now)
        except CasesRefused:
            # Closed meanwhile: keep the words with the record rather than drop them.
            _keep_as_note(grievance, item.text, now)
        return
    try:
        grievances.do_rate_grievance(
            actor=None, grievance=grievance, rating=item.rating, comment=item.text, system=True
        )
    except Exception as exc:  # the state changed since: the rating becomes a message
        from zhijia.core.workflow import TransitionError

        if not isinstance(exc, TransitionError | CasesRefused):
            raise
        label = satisfaction.label(item.rating)
        _keep_as_note(
            grievance, _("（评价未能生效）评价：%(r)s。%(c)s") % {"r": label, "c": item.text}, now
        )


def _keep_as_note(grievance: Grievance, text: str, now) -> None:
    from zhijia.cases.models import CaseMessage
    from zhijia.core import audit

    message = CaseMessage.objects.create(
        grievance=grievance,
        kind=CaseMessage.Kind.INFO,
        from_worker=True,
        text=text,
        created_at=now,
    )
    audit.record(
        actor=None,
        action="cases.add_info",
        target=grievance,
        unit=grievance.handling_unit,
        data={"message": message.pk},
    )


def open_box(*, now=None, include_today: bool = False) -> int:
    """Apply every box item received before today (Beijing time), in random order.

    Idempotent and safe to run every sweep: an item is deleted in the transaction that
    applies it. A failing item stays in the box for the next run (logged without content).
    `include_today` is for the demo and tests only: opening during the day narrows the
    window an item was written in.
    """
    now = now or timezone.now()
    today = workdays.local_date(now)
    qs = BoxItem.objects.filter(
        **({"received_on__lte": today} if include_today else {"received_on__lt": today})
    )
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        return 0
    # New grievances first (a message or rating always refers to an opened one), each group
    # in random order.
    kinds = dict(qs.values_list("pk", "kind"))
    rng = secrets.SystemRandom()
    rng.shuffle(ids)
    ids.sort(key=lambda pk: kinds[pk] != BoxItem.Kind.SUBMIT)
    opened = 0
    for pk in ids:
        try:
            with transaction.atomic():
                item = BoxItem.objects.select_for_update(of=("self",)).filter(pk=pk).first()
                if item is None:
                    continue
                _open_item(item, now)
                item.delete()
                opened += 1
        except Exception as exc:
            # No content, no traceback values: the item may hold what the worker wrote.
            logger.error("anonymous box: an item could not be opened (%s)", type(exc).__name__)
    return opened
