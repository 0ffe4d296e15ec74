"""Permission codes for proposals and inspection tours."""

from zhijia.accounts.models import Role  # noqa: F401
from zhijia.core.permissions import register  # noqa: F401
