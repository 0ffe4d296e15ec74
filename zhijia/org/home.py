"""The e-card panel of the member home (registered in OrgConfig.ready)."""

from __future__ import annotations

from zhijia.core.home import Panel
from zhijia.org.actions import cards as actions
from zhijia.org.queries import cards as queries
from zhijia.org.queries import members as org_queries


def card_panel(request):
    member = org_queries.own_member(request.user)
    if member is None:
        return
    member_card = actions.ensure_member_card(member)
    face = queries.card_face(request, member, member_card)
    yield Panel(
        "org/_card_panel.html",
        {"face": face, "qr": queries.qr_svg(face.verify_url)},
        order=10,
    )
