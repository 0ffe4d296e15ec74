"""Models of hardship assistance (帮扶), one file per subject."""

from .applications import *  # noqa: F403
from .config import *  # noqa: F403
from .ledger import *  # noqa: F403
from .registry import *  # noqa: F403
from .visits import *  # noqa: F403
