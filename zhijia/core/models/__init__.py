"""Models of the shared kernel, one file per mechanism."""

from zhijia.core.models.attachments import *  # noqa: F403
from zhijia.core.models.audit import *  # noqa: F403
from zhijia.core.models.figures import *  # noqa: F403
from zhijia.core.models.notify import *  # noqa: F403
from zhijia.core.models.numbering import *  # noqa: F403
from zhijia.core.models.satisfaction import *  # noqa: F403
from zhijia.core.models.search import *  # noqa: F403
from zhijia.core.models.throttle import *  # noqa: F403
from zhijia.core.models.workdays import *  # noqa: F403
from zhijia.core.models.workflow import *  # noqa: F403
