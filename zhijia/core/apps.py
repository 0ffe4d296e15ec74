from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhijia.core"
    label = "core"
    verbose_name = "zhijia core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from zhijia.core import dashboard  # noqa: F401  (declares the module's figures)
        from zhijia.core.datafiles import private_sqlite_files, secure_delete_on
        from zhijia.core.search_sql import ensure_schema_after_migrate

        # The SQLite database and its -wal/-shm files: mode 0600 (zhijia.core.datafiles).
        connection_created.connect(private_sqlite_files, dispatch_uid="core.private_sqlite")
        # Deleted content zeroed on SQLite (zhijia.core.datafiles.secure_delete_on).
        connection_created.connect(secure_delete_on, dispatch_uid="core.secure_delete")

        # Full-text structures (FTS5 table / tsvector column) that Django fields cannot express.
        post_migrate.connect(
            ensure_schema_after_migrate, sender=self, dispatch_uid="core.search_schema"
        )
        # The change triggers on the tables the declared figures read (zhijia.core.figure_cache).
        from zhijia.core.figure_cache import prune
        from zhijia.core.figure_sql import ensure_triggers_after_migrate

        post_migrate.connect(
            ensure_triggers_after_migrate, sender=self, dispatch_uid="core.figure_triggers"
        )

        # Each module's privacy.py registers its sensitive reads and what it holds about a
        # person (zhijia.core.privacy).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("privacy")

        # The audit log's retention (settings.ZHIJIA_AUDIT_RETENTION_DAYS), checked hourly.
        from zhijia.core.audit import purge_expired
        from zhijia.core.workflow import register_sweep

        register_sweep("core.audit_retention", lambda: purge_expired(), every_seconds=3600)
        register_sweep("core.figure_changes", lambda: prune(), every_seconds=3600)

        # The satisfaction index (zhijia.core.satisfaction_index): its permission codes, menu
        # entries, the workspace's figure and the cadres' follow-up queue.
        from django.utils.translation import gettext_lazy as _

        from zhijia.core import satisfaction_index
        from zhijia.core.home import register_figures
        from zhijia.core.navigation import NavItem, add
        from zhijia.core.queues import register_queues

        section = _("满意度")
        add(
            NavItem(
                section,
                _("满意度指数"),
                "core:satisfaction",
                satisfaction_index.VIEW_SATISFACTION,
                order=950,
            )
        )
        add(
            NavItem(
                section,
                _("不满意回访"),
                "core:follow-ups",
                satisfaction_index.FOLLOW_UP_RATING,
                order=960,
            )
        )
        register_figures(satisfaction_index.figures)
        register_queues(satisfaction_index.queues)
