from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "zhijia.services"
    label = "services"

    def ready(self) -> None:
        from zhijia.core.workflow import register_sweep
        from zhijia.services import (
            dashboard,  # noqa: F401  (figures and searchable records)
            permissions,  # noqa: F401  (registers the module's permission codes)
        )

        def counseling_sweep() -> int:
            from zhijia.services.actions.counseling import sweep_counseling

            return sum(sweep_counseling().values())

        register_sweep("services.counseling", counseling_sweep)

        def survey_sweep() -> int:
            from zhijia.services.actions.surveys import sweep_surveys

            return sweep_surveys()

        register_sweep("services.surveys", survey_sweep)

        from zhijia.core.hooks import register_consultation_topics
        from zhijia.services.queries.surveys import consultation_topics

        register_consultation_topics(consultation_topics)

        from zhijia.core.hooks import register_backup_warning
        from zhijia.services.queries.surveys import backup_warnings

        register_backup_warning(backup_warnings)

        def activities_sweep() -> int:
            from zhijia.services.actions.activities import sweep_activities

            return sum(sweep_activities().values())

        register_sweep("services.activities", activities_sweep)

        from zhijia.core import attachments
        from zhijia.services.queries.activities import access_activity

        # An activity's photos: whoever may open the activity.
        attachments.register_owner("services.activity", access_activity)

        from zhijia.core.queues import register_queues
        from zhijia.services import home

        # The counselors' work queues (the workspace's 我的待办).
        register_queues(home.queues)
        from zhijia.core.home import register_panels, register_todos

        register_todos(home.survey_todos)
        # An activity's place offered from the waiting list, to confirm.
        register_todos(home.activity_todos)
        # A member's volunteer shift coming within two days.
        register_todos(home.volunteering_todos)
        # The member home's "今年志愿服务 N 小时".
        register_panels(home.volunteering_panel)
        from zhijia.core.entrances import register_entrance

        for entrance in home.ENTRANCES:
            register_entrance(entrance)

        # Counseling's line in the union's satisfaction index (no unit, no follow-up).
        from django.utils.translation import gettext_lazy

        from zhijia.core.satisfaction_index import register_service
        from zhijia.services.actions.counseling import SATISFACTION_SERVICE

        register_service(SATISFACTION_SERVICE, gettext_lazy("心理咨询"), order=60)

        from zhijia.services.actions import activities as activity_actions

        register_service(activity_actions.SATISFACTION_SERVICE, gettext_lazy("文体活动"), order=55)

        # --- learning (培训) ------------------------------------------------------------------
        def learning_sweep() -> int:
            from zhijia.services.actions.learning_tests import sweep_learning

            return sweep_learning()

        # Tests left open past their time limit are closed and scored by the server.
        register_sweep("services.learning", learning_sweep)
        from zhijia.services.actions import learning as learning_actions
        from zhijia.services.queries.learning import access_course

        # A course's material files: whoever may open the course.
        attachments.register_owner("services.learningcourse", access_course)
        register_todos(home.learning_todos)
        register_service(learning_actions.SATISFACTION_SERVICE, gettext_lazy("培训学习"), order=57)
        # --- suggestions (合理化建议) ---------------------------------------------------------
        from zhijia.services.actions import suggestions as suggestion_actions
        from zhijia.services.queries.suggestions import access_suggestion

        # A suggestion's attachments: whoever may open the suggestion.
        attachments.register_owner("services.suggestion", access_suggestion)
        register_service(
            suggestion_actions.SATISFACTION_SERVICE, gettext_lazy("合理化建议"), order=65
        )
        # The department's, the experts', the finance department's and the cadres' queues.
        register_queues(home.suggestion_queues)
        # The member's suggestion waiting for their rating.
        register_todos(home.suggestion_todos)
        # --- competitions ---
        # A judge's to-do: a stage of a competition they judge is scoring.
        register_todos(home.competition_todos)
        # --- honours (荣誉) ---------------------------------------------------------------
        self._ready_honours()

    def _ready_honours(self) -> None:
        from zhijia.core import attachments
        from zhijia.core.home import register_panels, register_profile_panels
        from zhijia.core.workflow import register_sweep
        from zhijia.services import home
        from zhijia.services.queries.honours import access_assessment, access_honour

        def honours_sweep() -> int:
            from zhijia.services.actions.honours import sweep_honour_care

            return sweep_honour_care()

        # 劳模 care items overdue this year: the cadres are told once (idempotent).
        register_sweep("services.honours", honours_sweep, every_seconds=3600)
        # An honour's documents: the cadres of its unit's subtree.
        attachments.register_owner("services.honour", access_honour)
        # A "五型" assessment's evidence: the same cadres.
        attachments.register_owner("services.honourassessment", access_assessment)
        # The member home's "我的荣誉" card, and the honours on a member's record page.
        register_panels(home.honours_panel)
        register_profile_panels(home.honours_profile_panel)
