"""API of module assistance (/api/v1/assistance): one router combining the subjects' routers.

Thin endpoints over the same queries and actions as the pages. Errors are JSON {"detail"}:
400 refused values ({"detail": {field: [message]}}), 422 malformed input, 403 a role without
the permission, 404 a record outside the caller's scope, 409 a conflict (already decided,
insufficient balance, notice over).
"""

from ninja import Router

from zhijia.assistance.api.applications import router as applications_router
from zhijia.assistance.api.ledger import router as ledger_router
from zhijia.assistance.api.registry import router as registry_router
from zhijia.assistance.api.visits import router as visits_router

router = Router(tags=["assistance"])
router.add_router("/", registry_router)
router.add_router("/", applications_router)
router.add_router("/", ledger_router)
router.add_router("/", visits_router)
