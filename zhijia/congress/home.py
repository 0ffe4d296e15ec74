"""Member-home to-dos of module congress (see zhijia.core.home)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from zhijia.congress.queries import proposals as queries_proposals
from zhijia.core.home import Todo


def todos(user):
    invited = queries_proposals.cosign_requests(user).count()
    if invited:
        yield Todo(
            _("提案附议"),
            reverse("congress:proposal-cosign-requests"),
            _("%(n)d 件提案邀请您附议") % {"n": invited},
        )
