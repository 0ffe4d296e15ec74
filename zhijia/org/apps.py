from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "zhijia.org"
    label = "org"
    verbose_name = "organisation and members"

    def ready(self) -> None:
        from zhijia.core.navigation import NavItem, add
        from zhijia.org import (
            dashboard,  # noqa: F401  (figures and searchable records)
            permissions,  # noqa: F401  (registers the module's permission codes)
        )

        section = _("会员")
        add(NavItem(section, _("会员名册"), "org:member-list", "org.view_member", order=100))
        add(NavItem(section, _("会费管理"), "org:dues-overview", "org.manage_dues", order=110))
        add(NavItem(section, _("欠缴会费"), "org:arrears", "org.manage_dues", order=120))
        tree = _("组织")
        add(NavItem(tree, _("工会组织"), "org:unit-tree", "org.view_units", order=130))
        add(NavItem(tree, _("企业部门"), "org:department-list", "org.view_units", order=140))
        add(NavItem(section, _("入会审核"), "org:join-review", "org.review_join", order=130))

        from zhijia.core import home as core_home
        from zhijia.org import home

        core_home.register_panels(home.greeting_panel, slot=core_home.GREETING)
        core_home.register_panels(home.card_panel)
        core_home.register_panels(home.records_panel)
        core_home.register_panels(home.workspace_panel, slot=core_home.WORKSPACE)
        core_home.register_todos(home.todos)
        core_home.register_figures(home.figures)

        from zhijia.core.hooks import register_directory

        register_directory(home.DIRECTORY)

        from zhijia.core.workflow import register_sweep
        from zhijia.org.actions.joining import do_purge_refused_applications

        register_sweep(
            "org.join_purge", lambda: do_purge_refused_applications(), every_seconds=24 * 3600
        )

        from zhijia.core.queues import register_queues

        # Join applications to review (the workspace's 我的待办).
        register_queues(home.queues)
