"""The trustees' steps of an encrypted poll (docs/voting.md, "Encrypted polls"): the manager
names 3 to 5 trustees; each posts her public key, her sealed shares and her check of the
shares sealed to her; a complaint fails the ceremony and the manager restarts it; after the
close, k trustees post their partial decryptions and the election record is published. Each
step runs in one transaction and writes its audit event; the server never holds a trustee's
secret (each step's document is checked, never trusted).

    do_name_trustees(actor=cadre, poll=poll, users=[a, b, c], quorum=2)
    do_post_trustee_document(actor=a, poll=poll, document=doc)  # keygen / shares / check /
                                                                # decryption, by its format
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.notify import notify
from zhijia.core.permissions import require
from zhijia.voting import queries, rules
from zhijia.voting.actions import MANAGE, _hex, _locked
from zhijia.voting.crypto import ballot as cballot
from zhijia.voting.crypto import ceremony
from zhijia.voting.crypto import record as crecord
from zhijia.voting.crypto import trustee as ctrustee
from zhijia.voting.errors import BadInput, NotOnRoll, PollStateError
from zhijia.voting.models import Poll, Trustee


def _trustee_of(poll: Poll, user) -> Trustee:
    trustee = Trustee.objects.filter(poll=poll, user=user).first()
    if trustee is None:
        raise NotOnRoll(_("您不是本次表决的监票人"))
    return trustee


@transaction.atomic
def do_name_trustees(
    *, actor, poll: Poll, users: Sequence, quorum: int | None = None, source: str = ""
) -> Poll:
    """Name the trustees (监票人, numbered 1..n in the order given) of a draft encrypted poll
    and k, how many of them are needed to decrypt (default rules.default_quorum). Allowed
    until the first trustee has published a key; then the ceremony would have to restart.

    `source`: the module that names them for its own reasons (congress: the session's
    scrutineers); once a poll's trustees come from a source, only that source renames them."""
    caller, poll = poll, _locked(poll)
    require(actor, MANAGE, unit=poll.unit)
    if not poll.encrypted or poll.state != Poll.State.DRAFT:
        raise PollStateError(_("只有草稿状态的加密表决可以指定监票人"))
    if poll.trustees_source and poll.trustees_source != source:
        raise PollStateError(
            _("这项表决的监票人由职代会登记的总监票人和监票人担任，请在会议页面更换")
        )
    if Trustee.objects.filter(poll=poll, public__isnull=False).exists():
        raise PollStateError(_("监票人已经开始生成密钥，不能再更换"))
    chosen = list({u.pk: u for u in users if getattr(u, "is_active", False)}.values())
    k = int(quorum) if quorum else rules.default_quorum(len(chosen))
    problem = rules.trustee_problem(len(chosen), k)
    if problem == "trustee_count":
        message = _("监票人应为 %(min)d 到 %(max)d 人") % {
            "min": rules.MIN_TRUSTEES,
            "max": rules.MAX_TRUSTEES,
        }
        raise BadInput(message, {"trustees": message})
    if problem == "quorum":
        message = _("解密所需人数应在 2 到 %(n)d 之间") % {"n": len(chosen)}
        raise BadInput(message, {"quorum": message})
    Trustee.objects.filter(poll=poll).delete()
    Trustee.objects.bulk_create(
        Trustee(poll=poll, index=i, user=u) for i, u in enumerate(chosen, start=1)
    )
    poll.quorum = k
    poll.trustees_source = source
    poll.save(update_fields=["quorum", "trustees_source"])
    caller.quorum, caller.trustees_source = k, source
    record(
        actor=actor,
        action="voting.name_trustees",
        target=poll,
        unit=poll.unit,
        data={"trustees": [u.pk for u in chosen], "quorum": k},
    )
    return poll


@transaction.atomic
def do_post_trustee_public(*, actor, poll: Poll, document) -> Trustee:
    """Step 1 of the ceremony: the trustee's commitments with their proofs (checked here)."""
    poll = _locked(poll)
    trustee = _trustee_of(poll, actor)
    if poll.state != Poll.State.DRAFT or poll.joint_key:
        raise PollStateError(_("密钥仪式已经结束"))
    if trustee.public is not None:
        raise PollStateError(_("您已经上传过公钥，不能更换"))
    base = queries.base_hash_of(poll)
    try:
        public, their_base = ctrustee.public_from_dict(document)
    except ctrustee.BadDocument as exc:
        raise BadInput(_("文件不是本表决的监票人公钥文件")) from exc
    if their_base != base or public.index != trustee.index:
        raise BadInput(_("这个公钥文件不是为您在本表决中生成的，请重新下载表决文件后再生成"))
    if not ceremony.verify_trustee(public, poll.quorum or 0, base):
        raise BadInput(_("公钥文件的证明无效"))
    trustee.public = ctrustee.public_to_dict(public, base)
    trustee.save(update_fields=["public"])
    record(
        actor=actor,
        action="voting.trustee_public",
        target=poll,
        unit=poll.unit,
        data={"trustee": trustee.index},
    )
    return trustee


@transaction.atomic
def do_post_trustee_shares(*, actor, poll: Poll, document) -> Trustee:
    """Step 2: the trustee's shares, each sealed to its recipient (the server checks their
    shape; only the recipients can open and check them, `zhijia_trustee.py check`). When
    every trustee has posted, the joint key is computed and the poll may open."""
    caller, poll = poll, _locked(poll)
    trustee = _trustee_of(poll, actor)
    if poll.state != Poll.State.DRAFT or poll.joint_key:
        raise PollStateError(_("密钥仪式已经结束"))
    trustees = queries.trustees_of(poll)
    if any(t.public is None for t in trustees):
        raise PollStateError(_("还有监票人没有上传公钥，请稍后再生成并上传份额"))
    if trustee.shares is not None:
        raise PollStateError(_("您已经上传过份额，不能更换"))
    base = queries.base_hash_of(poll, len(trustees))
    try:
        sealed = ctrustee.sealed_shares_from_dict(
            document, sender=trustee.index, trustees=[t.index for t in trustees], base=base
        )
    except ctrustee.BadDocument as exc:
        raise BadInput(_("文件不是您在本表决中的份额文件")) from exc
    trustee.shares = [ctrustee.share_to_dict(s) for s in sealed]
    trustee.save(update_fields=["shares"])
    data: dict = {"trustee": trustee.index}
    if all(t.shares is not None or t.pk == trustee.pk for t in trustees):
        key = ceremony.joint_key(queries.trustee_publics(trustees))
        qbar = ceremony.extended_hash(base, key)
        poll.joint_key, poll.extended_hash = _hex(key), _hex(qbar)
        poll.last_tracker = _hex(cballot.first_tracker(qbar))
        poll.save(update_fields=["joint_key", "extended_hash", "last_tracker"])
        for name in ("joint_key", "extended_hash", "last_tracker"):
            setattr(caller, name, getattr(poll, name))
        data["joint_key"] = poll.joint_key
    record(actor=actor, action="voting.trustee_shares", target=poll, unit=poll.unit, data=data)
    return trustee


@transaction.atomic
def do_post_trustee_check(*, actor, poll: Poll, document) -> Trustee:
    """Step 3: the trustee's check of the shares sealed to her (trustee tool `check` or the
    trustee page): none missing or unfitting, or a complaint naming their senders. The poll
    opens only when every trustee has checked without a complaint; a complaint fails the
    ceremony (audited, the manager told), which the manager restarts (do_restart_ceremony).
    A complaint is not adjudicated: a false one forces a restart, no more than a trustee who
    refuses to take part could."""
    poll = _locked(poll)
    trustee = _trustee_of(poll, actor)
    if poll.state != Poll.State.DRAFT:
        raise PollStateError(_("密钥仪式已经结束"))
    if not poll.joint_key:
        raise PollStateError(_("还有监票人没有上传份额，请全部上传后再核对"))
    if trustee.complaints is not None:
        raise PollStateError(_("您已经核对过份额"))
    trustees = queries.trustees_of(poll)
    base = queries.base_hash_of(poll, len(trustees))
    try:
        complaints = ctrustee.check_from_dict(
            document, trustee=trustee.index, trustees=[t.index for t in trustees], base=base
        )
    except ctrustee.BadDocument as exc:
        raise BadInput(_("文件不是您在本表决中的核对文件")) from exc
    trustee.complaints = complaints
    trustee.save(update_fields=["complaints"])
    data = {"trustee": trustee.index, "complaints": complaints}
    if complaints:
        record(
            actor=actor, action="voting.trustee_complaint", target=poll, unit=poll.unit, data=data
        )
        if poll.created_by_id:
            notify(
                recipients=[poll.created_by],
                kind="voting.trustee_complaint",
                title=_("监票人对密钥份额提出异议：%(title)s") % {"title": poll.title},
                body=_(
                    "第 %(i)d 号监票人收到的第 %(bad)s 号监票人的份额无法核对通过。"
                    "请重新开始密钥仪式（必要时更换监票人）。"
                )
                % {"i": trustee.index, "bad": "、".join(map(str, complaints))},
                url=reverse("voting:manage-poll", args=[poll.pk]),
                unit=poll.unit,
            )
    else:
        record(actor=actor, action="voting.trustee_check", target=poll, unit=poll.unit, data=data)
    return trustee


@transaction.atomic
def do_restart_ceremony(*, actor, poll: Poll) -> Poll:
    """Start the key ceremony of a draft encrypted poll again: every trustee's public
    document, shares and check are dropped with the joint key (after a complaint, or a
    trustee who lost her key file before the poll opened); the manager may then rename the
    trustees. Audited with the complaints that led to it."""
    caller, poll = poll, _locked(poll)
    require(actor, MANAGE, unit=poll.unit)
    if not poll.encrypted or poll.state != Poll.State.DRAFT:
        raise PollStateError(_("只有尚未开始的加密表决可以重新开始密钥仪式"))
    trustees = queries.trustees_of(poll)
    complaints = {str(t.index): t.complaints for t in trustees if t.complaints}
    Trustee.objects.filter(poll=poll).update(public=None, shares=None, complaints=None)
    poll.joint_key = poll.extended_hash = poll.last_tracker = ""
    poll.save(update_fields=["joint_key", "extended_hash", "last_tracker"])
    for name in ("joint_key", "extended_hash", "last_tracker"):
        setattr(caller, name, "")
    record(
        actor=actor,
        action="voting.restart_ceremony",
        target=poll,
        unit=poll.unit,
        data={"complaints": complaints},
    )
    return poll


def do_post_trustee_document(*, actor, poll: Poll, document) -> None:
    """Whichever step of the trustee's `document` is (by its "format", as the trustee tool and
    the trustee page write it): the public document, the sealed shares, the check of the
    shares received or the decryption. The
    trustee's key file is refused (read for this check only, never kept)."""
    fmt = str(document.get("format")) if isinstance(document, dict) else ""
    if fmt == ctrustee.KEY_FORMAT:
        message = _("这是您的密钥文件，不能上传：请妥善保管，只上传工具生成的其他文件")
        raise BadInput(message, {"document": message})
    steps = {
        ctrustee.PUBLIC_FORMAT: do_post_trustee_public,
        ctrustee.SHARES_FORMAT: do_post_trustee_shares,
        ctrustee.CHECK_FORMAT: do_post_trustee_check,
        ctrustee.DECRYPTION_FORMAT: do_post_trustee_decryption,
    }
    step = steps.get(fmt)
    if step is None:
        message = _("文件不是监票人工具生成的文件")
        raise BadInput(message, {"document": message})
    step(actor=actor, poll=poll, document=document)


@transaction.atomic
def do_post_trustee_decryption(*, actor, poll: Poll, document) -> Poll:
    """Step 4, after the close: the trustee's partial decryption of every option's tally and
    compensating shares for the others, all proven (checked here). When k trustees have
    posted, the absent ones are compensated, the counts decrypted and the election record
    published."""
    caller, poll = poll, _locked(poll)
    trustee = _trustee_of(poll, actor)
    if poll.state != Poll.State.CLOSED or not poll.encrypted_tally:
        raise PollStateError(_("表决结束后才能解密"))
    if poll.election_record:
        raise PollStateError(_("结果已经公布，不再需要解密"))
    if trustee.decryption is not None:
        raise PollStateError(_("您已经上传过解密文件"))
    if not poll.encrypted_tally.get("ballots"):
        raise PollStateError(_("没有选票，无需解密"))
    trustees = queries.trustees_of(poll)
    publics = queries.trustee_publics(trustees)
    cts = queries.encrypted_tally(poll)
    qbar = int(poll.extended_hash, 16)
    try:
        parsed = ctrustee.decryption_from_dict(
            document, trustee=trustee.index, options=[o for o, _ct in cts]
        )
    except ctrustee.BadDocument as exc:
        raise BadInput(_("文件不是您在本表决中的解密文件")) from exc
    if not ctrustee.verify_decryption(parsed, cts, publics, qbar):
        raise BadInput(_("解密文件的证明无效"))
    trustee.decryption = document
    trustee.save(update_fields=["decryption"])
    record(
        actor=actor,
        action="voting.trustee_decryption",
        target=poll,
        unit=poll.unit,
        data={"trustee": trustee.index},
    )
    posted = {
        t.index: ctrustee.decryption_from_dict(
            t.decryption, trustee=t.index, options=[o for o, _ct in cts]
        )
        for t in trustees
        if t.decryption is not None and t.pk != trustee.pk
    }
    posted[trustee.index] = parsed
    if len(posted) >= (poll.quorum or 0):
        _publish_record(poll, trustees, publics, posted, cts)
        caller.election_record = poll.election_record
    return poll


def _publish_record(poll, trustees, publics, posted, cts) -> None:
    ballots = queries.sealed_ballots(poll)
    decryptions = ctrustee.combine_tally(cts, posted, [t.index for t in trustees], len(ballots))
    doc = crecord.ElectionRecord(
        queries.manifest_of(poll),
        poll.quorum,
        tuple(publics),
        queries.base_hash_of(poll, len(trustees)),
        int(poll.joint_key, 16),
        int(poll.extended_hash, 16),
        tuple(ballots),
        decryptions,
    )
    poll.election_record = crecord.dumps(doc)
    poll.save(update_fields=["election_record"])
    record(
        actor=None,
        action="voting.publish_record",
        target=poll,
        unit=poll.unit,
        data={"counts": doc.counts, "ballots": len(ballots), "trustees": sorted(posted)},
    )
