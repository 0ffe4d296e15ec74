import pytest


@pytest.mark.django_db
def test_branch_cadre_cannot_read_sibling_member(api_client, personas):
    worker2 = personas["worker2"].member_record
    worker1 = personas["worker1"].member_record
    c = api_client("branch1")
    assert c.get(f"/api/v1/members/{worker1.pk}").status_code == 200
    assert c.get(f"/api/v1/members/{worker2.pk}").status_code == 404
