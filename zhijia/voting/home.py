"""Member-home to-dos of module voting (see zhijia.core.home)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from zhijia.core.home import Todo
from zhijia.voting import queries
from zhijia.voting.models import Poll


def todos(user):
    waiting = queries.my_polls(user).filter(state=Poll.State.OPEN, has_voted=False).count()
    if waiting:
        yield Todo(
            _("参加表决"),
            reverse("voting:my-polls"),
            _("%(n)d 项表决等您投票") % {"n": waiting},
            urgent=True,
        )

    # A trustee of an encrypted poll: a step of the key ceremony or the decryption is waiting.
    for poll, me in queries.trustee_steps(user):
        yield Todo(
            _("监票人"),
            reverse("voting:trustee", args=[poll.pk]),
            _("表决“%(title)s”：请完成第 %(i)d 号监票人的步骤")
            % {"title": poll.title, "i": me.index},
            urgent=True,
        )
