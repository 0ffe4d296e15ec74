from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "zhijia.disclosure"
    label = "disclosure"
    verbose_name = "affairs disclosure"

    def ready(self) -> None:
        from zhijia.core import attachments
        from zhijia.disclosure import dashboard  # noqa: F401  (figures and searchable records)
        from zhijia.disclosure.queries import items as queries

        attachments.register_owner("disclosure.item", queries.access_item_attachments)
        _connect_congress()

        from zhijia.core.workflow import register_sweep

        def due_date_sweep() -> int:
            from zhijia.disclosure.actions.catalogue import sweep_due_dates

            return sum(sweep_due_dates().values())

        # The board is computed for every unit: hourly is enough for day-granular due dates.
        register_sweep("disclosure.due_dates", due_date_sweep, every_seconds=3600)

        from zhijia.core.home import register_todos
        from zhijia.disclosure import home

        register_todos(home.todos)

        from zhijia.core.queues import register_queues

        # The answerers' work queue (the workspace's 我的待办).
        register_queues(home.queues)
        from zhijia.core.entrances import register_entrance

        for entrance in home.entrances():
            register_entrance(entrance)


def _connect_congress() -> None:
    """Handled congress proposals and the report on the follow-up of the congress's
    resolutions appear on the board (core's proposal_handled and resolutions_reported)."""
    from zhijia.core.hooks import on_proposal_result
    from zhijia.disclosure.actions.items import publish_proposal_result

    on_proposal_result(publish_proposal_result)

    # The congress's report on the follow-up of its resolutions (resolutions_reported).
    from zhijia.core.hooks import on_resolutions_report
    from zhijia.disclosure.actions.items import publish_resolutions_report

    on_resolutions_report(publish_resolutions_report)
