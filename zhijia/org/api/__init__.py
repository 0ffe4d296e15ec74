"""API of module org: one router combining the subjects' routers, mounted at /api/v1/org.

Members (and /me), the dues, the union tree and online joining. The member endpoints are also
served, deprecated, at the API root where clients called them before (`aliases`, mounted at
/api/v1; DESIGN.md names GET /me, /members and /members/{id}).
"""

from ninja import Router

from zhijia.org.api.dues import router as dues_router
from zhijia.org.api.joining import router as joining_router
from zhijia.org.api.members import router as members_router
from zhijia.org.api.queues import router as queues_router
from zhijia.org.api.units import router as units_router

router = Router(tags=["org"])
router.add_router("/", members_router)
router.add_router("/", dues_router)
router.add_router("/", units_router)
router.add_router("/join", joining_router)
router.add_router("/", queues_router)

aliases = members_router.aliases
