"""Permission codes of module safety (see zhijia.core.permissions)."""
