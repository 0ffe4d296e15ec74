"""Permission codes for terms, sessions, representatives, elections and check-in."""

from zhijia.accounts.models import Role  # noqa: F401
from zhijia.core.permissions import register  # noqa: F401
