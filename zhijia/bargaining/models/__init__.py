"""Models of module bargaining, one file per subject."""

from zhijia.bargaining.models.compliance import *  # noqa: F403
from zhijia.bargaining.models.contracts import *  # noqa: F403
from zhijia.bargaining.models.rounds import *  # noqa: F403
