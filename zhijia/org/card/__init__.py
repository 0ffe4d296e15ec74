"""The member e-card (会员电子卡): the member shows it, a cadre scans its QR code.

    queries.py   the card of a member, what a scan shows, the QR code
    actions.py   issue (on first view) and renew the verification token
    views.py     /org/card/ (the member), /org/card/verify/<token>/ (public)
    home.py      the card panel on the member home (registered with zhijia.core.home)

Why a random stored token rather than a signed value: the QR code then carries only 128
random bits (nothing to enumerate, no id, no personal data); one card can be renewed (a
screenshot shared, a phone lost) without touching the others or the SECRET_KEY; and the
verdict is taken at scan time from the member's status, so a card stops verifying the moment
its member is no longer 在册.
"""
