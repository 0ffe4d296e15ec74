"""No navigation link answers 403 or 404 for the user it is shown to.

A crawl over every persona: the links of the menu, the phone tab bar and the service entrances
on the home page and on /services/ are each followed with that persona's session.
"""

from __future__ import annotations

import re

import pytest

from conftest import PERSONAS

_NAV_BLOCKS = (
    re.compile(r'<nav class="mainnav".*?</nav>', re.S),
    re.compile(r'<nav class="tabbar".*?</nav>', re.S),
    re.compile(r'<ul class="entrances".*?</ul>', re.S),
    re.compile(r'<ul class="plain-list service-links">.*?</ul>', re.S),
)
_HREF = re.compile(r'href="(/[^"#]*)"')


def _links(html: str) -> set[str]:
    found: set[str] = set()
    for block in _NAV_BLOCKS:
        for part in block.findall(html):
            found.update(_HREF.findall(part))
    return found


@pytest.mark.parametrize("username", PERSONAS)
def test_no_navigation_link_answers_403_or_404(login, username):
    client = login(username)
    pages = ["/"]
    services = client.get("/services/")
    if services.status_code == 200:
        pages.append("/services/")
    links: set[str] = set()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        links |= _links(response.content.decode())
    assert links, f"{username} sees no navigation at all"
    broken = {}
    for url in sorted(links):
        status = client.get(url).status_code
        if status in (403, 404):
            broken[url] = status
    assert not broken, f"{username} is shown links it cannot open: {broken}"
