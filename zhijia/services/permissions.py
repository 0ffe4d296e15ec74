"""Permission codes of module services (see zhijia.core.permissions)."""
