"""API of module bargaining: one router combining the subjects' routers."""

from ninja import Router

from zhijia.bargaining.api.compliance import router as compliance_router
from zhijia.bargaining.api.contracts import router as contracts_router
from zhijia.bargaining.api.rounds import router as rounds_router

router = Router(tags=["bargaining"])
router.add_router("", rounds_router)
router.add_router("", contracts_router)
router.add_router("", compliance_router)
