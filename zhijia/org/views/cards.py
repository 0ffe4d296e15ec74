"""Pages of the member e-card: the member's card and the public verification page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from zhijia.org.actions import cards as actions
from zhijia.org.queries import cards as queries
from zhijia.org.queries import members as org_queries


@never_cache
@login_required
@require_GET
def card(request):
    member = org_queries.own_member(request.user)
    if member is None:
        return render(
            request, "org/card.html", {"title": _("会员电子卡"), "face": None}, status=404
        )
    member_card = actions.ensure_member_card(member)
    face = queries.card_face(request, member, member_card)
    context = {"title": _("会员电子卡"), "face": face, "qr": queries.qr_svg(face.verify_url)}
    return render(request, "org/card.html", context)


@login_required
@require_POST
def card_renew(request):
    member = org_queries.own_member(request.user)
    if member is None:
        return redirect("org:card")
    actions.do_renew_member_card(actor=request.user, member=member)
    messages.success(request, _("电子卡二维码已更换，之前截图或转发的二维码不再有效。"))
    return redirect("org:card")


@never_cache
@require_GET
def card_verify(request, token: str):
    verdict = queries.verify(token)
    context = {"title": _("会员身份核验"), "verdict": verdict}
    response = render(
        request, "org/card_verify.html", context, status=200 if verdict.known else 404
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
