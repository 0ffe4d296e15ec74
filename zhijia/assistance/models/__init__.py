"""Models of hardship assistance (帮扶), one file per subject."""

from zhijia.assistance.models.applications import *  # noqa: F403
from zhijia.assistance.models.config import *  # noqa: F403
from zhijia.assistance.models.ledger import *  # noqa: F403
from zhijia.assistance.models.registry import *  # noqa: F403
from zhijia.assistance.models.visits import *  # noqa: F403
