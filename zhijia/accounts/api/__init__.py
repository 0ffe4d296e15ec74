"""API of module accounts: one router combining the subjects' routers.

The token exchange itself is zhijia/api.py's `POST /api/v1/auth/token` (it belongs to the API's
authentication); activation and forgotten passwords are here.
"""

from ninja import Router

from zhijia.accounts.api.activation import router as activation_router

router = Router(tags=["auth"])
router.add_router("/", activation_router)
