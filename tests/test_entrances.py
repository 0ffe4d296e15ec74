"""The worker's phone: service entrances registered by modules, the home grid, 服务, the tab bar."""

from __future__ import annotations

import re

from zhijia.core.entrances import Entrance, entrances_for, register_entrance, registered_entrances

ALL_KEYS = [
    "cases.grievance",
    "cases.box",
    "cases.knowledge",
    "services.activities",
    "services.counseling",
    "services.volunteering",
    "services.learning",
    "services.suggestions",
    "services.competitions",
    "assistance.apply",
    "disclosure.board",
    "notices.notices",
    "notices.guide",
    "safety.report",
    "bargaining.contracts",
    "women.home",
]


def _keys(html: str) -> list[str]:
    return re.findall(r'data-entrance="([^"]+)"', html)


def test_modules_register_their_entrances_with_a_sprite_icon():
    from pathlib import Path
    from xml.etree import ElementTree

    import zhijia

    sprite = ElementTree.parse(Path(zhijia.__file__).parent / "static/zhijia/icons.svg")  # noqa: S314 (our own file)
    # symbols of the sprite itself (not text inside its comment), each id once
    ids = [s.get("id") for s in sprite.getroot() if s.tag.endswith("symbol")]
    assert len(ids) == len(set(ids))
    entrances = registered_entrances()
    assert [e.key for e in entrances] == ALL_KEYS
    for entrance in entrances:
        assert f"i-{entrance.icon}" in ids, entrance


def test_entrances_follow_what_the_user_may_use(personas):
    assert [e["key"] for e in entrances_for(personas["worker1"])] == ALL_KEYS
    # No member record: no grievance form, activities, counseling, assistance or hazard
    # report.
    for username in ("handler1", "counselor1", "mediator1", "admin"):
        keys = [e["key"] for e in entrances_for(personas[username])]
        assert keys == ["cases.box", "cases.knowledge", "disclosure.board", "notices.guide"], (
            username
        )


def test_a_failing_predicate_leaves_its_entrance_out(personas):
    def broken(user):
        raise RuntimeError("boom")

    entrance = Entrance("test.broken", "坏入口", "home", "home", broken, order=1)
    register_entrance(entrance)
    try:
        keys = [e["key"] for e in entrances_for(personas["worker1"])]
        assert "test.broken" not in keys
        assert keys == ALL_KEYS
    finally:
        from zhijia.core import entrances

        entrances._ENTRANCES.pop("test.broken")


def test_member_home_starts_with_the_entrances_and_has_the_tab_bar(login):
    html = login("worker1").get("/").content.decode()
    assert _keys(html) == ALL_KEYS
    main = html.split('<main id="main"', 1)[1]
    assert main.index('class="entrances"') < main.index('id="greeting-title"')
    tabbar = re.search(r'<nav class="tabbar".*?</nav>', html, re.S)
    assert tabbar is not None
    links = re.findall(r'<a href="([^"]+)"', tabbar.group(0))
    assert links == ["/", "/services/", "/core/inbox/", "/org/me/"]
    assert "has-tabbar" in html


def test_services_page_lists_entrances_and_every_menu_entry(login):
    html = login("worker1").get("/services/").content.decode()
    assert _keys(html) == ALL_KEYS
    assert 'href="/cases/"' in html  # 我的诉求, a menu entry, reachable from 服务 on a phone


def test_cadres_keep_the_menu_and_get_no_tab_bar(login):
    html = login("branch1").get("/").content.decode()
    assert '<nav class="tabbar"' not in html
    assert "has-tabbar" not in html
    assert '<nav class="mainnav"' in html


def test_tab_bar_shows_the_unread_count_and_the_read_swap_updates_it(login, personas):
    from zhijia.core import notify

    worker = personas["worker1"]
    client = login("worker1")
    notify.notify(recipients=[worker], kind="test", title="测试通知", body="正文")
    unread = notify.unread_count(worker)
    assert unread >= 1
    html = client.get("/").content.decode()
    badge = re.search(r'<span id="tabbar-badge".*?</span></span>', html, re.S)
    assert badge is not None and f">{unread}<" in badge.group(0)
    note = notify.list_notifications_for_user(worker).filter(read_at__isnull=True).first()
    response = client.post(f"/core/inbox/{note.pk}/read/", headers={"HX-Request": "true"})
    assert 'id="tabbar-badge" class="tabbar-badge" hx-swap-oob="true"' in response.content.decode()
