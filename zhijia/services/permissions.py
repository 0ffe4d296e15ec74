"""Permission codes of module services (see zhijia.core.permissions), one file per subject."""

from zhijia.services import permissions_counseling  # noqa: F401
