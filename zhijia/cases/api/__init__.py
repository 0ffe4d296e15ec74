"""API of module cases (/api/v1/cases): one router combining the subjects' routers."""

from ninja import Router

from zhijia.cases.api.box import router as box_router
from zhijia.cases.api.grievances import router as grievances_router
from zhijia.cases.api.knowledge import router as knowledge_router
from zhijia.cases.api.mediation import router as mediation_router

router = Router(tags=["cases"])
router.add_router("/", grievances_router)
router.add_router("/", box_router)
router.add_router("/", mediation_router)
router.add_router("/", knowledge_router)
