"""API of module services: one router combining the subjects' routers."""

from ninja import Router

from zhijia.services.api.activities import router as activities_router
from zhijia.services.api.clubs import router as clubs_router
from zhijia.services.api.competitions import router as competitions_router
from zhijia.services.api.counseling import router as counseling_router
from zhijia.services.api.honours import router as honours_router
from zhijia.services.api.honours_teams import router as honours_teams_router
from zhijia.services.api.learning import router as learning_router
from zhijia.services.api.suggestions import router as suggestions_router
from zhijia.services.api.surveys import router as surveys_router
from zhijia.services.api.volunteering import router as volunteering_router

router = Router(tags=["services"])
router.add_router("/counseling", counseling_router)
router.add_router("/surveys", surveys_router)
router.add_router("/activities", activities_router)
router.add_router("/activities/clubs", clubs_router)
router.add_router("/volunteering", volunteering_router)
router.add_router("/suggestions", suggestions_router)
router.add_router("/learning", learning_router)
router.add_router("/competitions", competitions_router)
router.add_router("/honours", honours_router)
router.add_router("/honours", honours_teams_router)
