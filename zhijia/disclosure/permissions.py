"""Permission codes of module disclosure (see zhijia.core.permissions)."""
