"""Permission codes of module assistance (see zhijia.core.permissions)."""
