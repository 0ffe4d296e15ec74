"""API of module congress: one router combining the subjects' routers."""

from ninja import Router

from zhijia.congress.api.bodies import router as bodies_router
from zhijia.congress.api.channels import router as channels_router
from zhijia.congress.api.channels_meetings import router as channels_meetings_router
from zhijia.congress.api.checklist import router as checklist_router
from zhijia.congress.api.desk import router as desk_router
from zhijia.congress.api.elections import router as elections_router
from zhijia.congress.api.followup import router as followup_router
from zhijia.congress.api.inspections import router as inspections_router
from zhijia.congress.api.proposals import router as proposals_router
from zhijia.congress.api.sessions import router as sessions_router

router = Router(tags=["congress"])
router.add_router("/", sessions_router)
router.add_router("/", elections_router)
router.add_router("/", desk_router)
router.add_router("/proposals", proposals_router)
router.add_router("/inspections", inspections_router)
router.add_router("/inspections", checklist_router)
router.add_router("/followup", followup_router)
router.add_router("/channels", channels_router)
router.add_router("/channels", channels_meetings_router)
router.add_router("/bodies", bodies_router)
