"""Permission codes of module congress (see zhijia.core.permissions).

Split by subject: each subject file registers its own codes, imported here.
"""

from zhijia.congress import permissions_proposals, permissions_sessions  # noqa: F401
