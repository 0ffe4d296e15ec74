"""API of module org: one router combining the subjects' routers.

Members (and /me) at the API root as DESIGN.md names them, the dues, the union tree and
online joining under /org.
"""

from ninja import Router

from zhijia.org.api.joining import router as joining_router
from zhijia.org.api.members import dues_router
from zhijia.org.api.members import router as members_router
from zhijia.org.api.units import router as units_router

router = Router(tags=["org"])
router.add_router("/", members_router)
router.add_router("/org", dues_router)
router.add_router("/org", units_router)
router.add_router("/org/join", joining_router)
