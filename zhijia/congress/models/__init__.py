"""Models of the workers' congress, one file per subject."""

from .inspections import *  # noqa: F403
from .proposals import *  # noqa: F403
from .sessions import *  # noqa: F403
