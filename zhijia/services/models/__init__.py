"""Models of module services, one file per subject."""

from .counseling import *  # noqa: F403
