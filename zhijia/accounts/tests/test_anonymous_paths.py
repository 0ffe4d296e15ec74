"""The anonymous channels leave the visitor's session untouched."""

import time

from zhijia.accounts.middleware import LAST_SEEN_KEY


def test_box_request_does_not_stamp_the_session(login):
    client = login("worker1")
    session = client.session
    stamp = time.time() - 3600  # seen an hour ago: an ordinary page would re-stamp it
    session[LAST_SEEN_KEY] = stamp
    session.save()
    assert client.get("/cases/box/").status_code == 200
    assert client.session[LAST_SEEN_KEY] == stamp
    client.get("/")
    assert client.session[LAST_SEEN_KEY] > stamp
