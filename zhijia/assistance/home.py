"""Member-home to-dos of module assistance (see zhijia.core.home)."""

from zhijia.assistance.queries import applications as queries_applications
from zhijia.core.home import Todo


def todos(user):
    for item in queries_applications.member_home_items(user):
        yield Todo(item["label"], item["url"], item["detail"], urgent=item["urgent"])


# --- the service entrance on the worker's phone (zhijia.core.entrances) ---------------------------


def _has_member_record(user) -> bool:
    # Applying needs a member record; the page lists the member's applications and open campaigns.
    from zhijia.org.queries.members import own_member

    return own_member(user) is not None


def entrances():
    from django.utils.translation import gettext_lazy as _

    from zhijia.core.entrances import Entrance

    return [
        Entrance(
            "assistance.apply", _("帮扶申请"), "assistance:mine", "hands", _has_member_record, 50
        )
    ]
