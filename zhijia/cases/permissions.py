"""Permission codes of module cases (see zhijia.core.permissions)."""
