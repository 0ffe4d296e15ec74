"""Interest groups: join requests decided by a leader or a cadre, leaving, and a group's own
activities open to its members only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.core.models import Notification
from zhijia.services.actions import activities as actions
from zhijia.services.actions import clubs as club_actions
from zhijia.services.actions.activities import ActivityError
from zhijia.services.actions.clubs import ClubError
from zhijia.services.queries import activities as queries
from zhijia.services.queries import clubs as club_queries
from zhijia.services.tests.activities_support import make_activity

pytestmark = pytest.mark.django_db


def test_join_lead_decide_leave_and_the_groups_own_activity(personas, demo_units):
    branch1, worker1, rep1 = personas["branch1"], personas["worker1"], personas["rep1"]
    club = club_actions.do_create_club(
        actor=branch1, name="摄影协会", description="", org_unit=demo_units["B1"]
    )
    with pytest.raises(PermissionDenied):
        club_actions.do_create_club(
            actor=personas["branch2"], name="x", description="", org_unit=demo_units["B1"]
        )
    with pytest.raises(ClubError) as exc:  # branch 2 is not under branch 1
        club_actions.do_request_club_join(actor=personas["worker2"], club=club)
    assert exc.value.status == 403
    lead = club_actions.do_request_club_join(actor=worker1, club=club)
    club_actions.do_decide_club_request(actor=branch1, membership=lead, approve=True)
    club_actions.do_set_club_leader(actor=branch1, membership=lead, leader=True)
    assert club_queries.is_leader(worker1, club)
    # rep1 asks; the leader is told and decides
    ask = club_actions.do_request_club_join(actor=rep1, club=club, note="喜欢拍照")
    assert Notification.objects.filter(user=worker1, kind="services.club_request").exists()
    with pytest.raises(ClubError, match="审核中"):
        club_actions.do_request_club_join(actor=rep1, club=club)
    with pytest.raises(PermissionDenied):  # a plain member may not decide
        club_actions.do_decide_club_request(actor=personas["worker2"], membership=ask, approve=True)
    club_actions.do_decide_club_request(actor=worker1, membership=ask, approve=False)
    assert Notification.objects.filter(user=rep1, kind="services.club_decided").exists()
    with pytest.raises(PermissionDenied):  # only cadres name leaders
        club_actions.do_set_club_leader(actor=worker1, membership=lead, leader=False)

    # the group's own activity: its members only
    activity = make_activity(branch1, demo_units["B1"], club=club, title="外拍")
    assert actions.do_register_activity(actor=worker1, activity=activity)
    with pytest.raises(ActivityError, match="不在参加范围内"):
        actions.do_register_activity(actor=rep1, activity=activity)
    assert activity not in queries.activities_for_member(rep1)
    # worker1 leaves: no longer in the audience of the group's next activity
    club_actions.do_leave_club(actor=worker1, club=club)
    later = make_activity(branch1, demo_units["B1"], club=club, title="外拍二")
    with pytest.raises(ActivityError, match="不在参加范围内"):
        actions.do_register_activity(actor=worker1, activity=later)
    # rep1 may ask again after a refusal
    assert club_actions.do_request_club_join(actor=rep1, club=club).status == "requested"
