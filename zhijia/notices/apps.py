from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "zhijia.notices"
    label = "notices"
    verbose_name = "notices and the service guide"

    def ready(self) -> None:
        import zhijia.notices.permissions  # noqa: F401  (registers the permission codes)
        from zhijia.core import attachments
        from zhijia.core.entrances import register_entrance
        from zhijia.core.home import register_panels, register_todos
        from zhijia.notices import (
            dashboard,  # noqa: F401  (figures and searchable records)
            home,
        )
        from zhijia.notices.queries import notices as queries

        attachments.register_owner("notices.notice", queries.access_notice_attachments)
        register_panels(home.notices_panel)
        register_todos(home.todos)
        for entrance in home.ENTRANCES:
            register_entrance(entrance)
