"""Models of the shared kernel, one file per mechanism."""

from .attachments import *  # noqa: F403
from .audit import *  # noqa: F403
from .notify import *  # noqa: F403
from .search import *  # noqa: F403
from .workdays import *  # noqa: F403
from .workflow import *  # noqa: F403
