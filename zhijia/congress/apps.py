from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "zhijia.congress"
    label = "congress"
    verbose_name = "workers' congress"

    def ready(self) -> None:
        from zhijia.congress import home
        from zhijia.core.home import register_todos

        register_todos(home.todos)

        from zhijia.core.queues import register_queues

        # Review, answering and rectification queues (the workspace's 我的待办).
        register_queues(home.queues)
        from zhijia.core.home import GREETING, register_panels

        register_panels(home.day_panel, slot=GREETING)
