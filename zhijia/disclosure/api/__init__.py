"""API of module disclosure (/api/v1/disclosure): one router combining the subjects' routers."""

from ninja import Router

from zhijia.disclosure.api.catalogue import router as catalogue_router
from zhijia.disclosure.api.items import router as items_router
from zhijia.disclosure.api.questions import router as questions_router

router = Router(tags=["disclosure"])
router.add_router("/", items_router)
router.add_router("/", questions_router)
router.add_router("/", catalogue_router)
