from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "zhijia.congress"
    label = "congress"
    verbose_name = "workers' congress"

    def ready(self) -> None:
        from zhijia.core.home import register_todos

        from . import (
            home,
            permissions,  # noqa: F401  (registers the module's permission codes)
        )

        register_todos(home.todos)
