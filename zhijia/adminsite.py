"""The system administrator's console: Django's admin, opened through zhijia's permission layer.

Only the admin role (with a verified second factor) gets in, and only configuration and
accounts are registered here: no member files, no ballots, no counseling notes.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import RoleAssignment, User
from zhijia.core import workdays
from zhijia.core.audit import record
from zhijia.core.models import WorkdayOverride
from zhijia.core.permissions import has_perm, register
from zhijia.org.models import Department, OrgUnit, recompute_paths

register("core.configure", roles=["admin"], description="系统配置与账号管理")


class ZhijiaAdminSite(admin.AdminSite):
    site_header = _("职工之家 · 系统管理")
    site_title = _("职工之家")
    index_title = _("系统配置")
    index_template = "admin/zhijia_index.html"

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and has_perm(user, "core.configure")
            and getattr(user, "is_verified", lambda: False)()
        )

    def index(self, request, extra_context=None):
        """The console's index, with a warning for each year the holiday calendar lacks."""
        extra = {"calendar_warnings": workdays.calendar_gap_warnings(), **(extra_context or {})}
        return super().index(request, extra_context=extra)


class ConfigAdmin(admin.ModelAdmin):
    """Every registered model is governed by core.configure, not Django's per-model perms."""

    def _allowed(self, request) -> bool:
        return has_perm(request.user, "core.configure")

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return False  # records are deactivated, not deleted: history keeps its references

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if isinstance(obj, OrgUnit | Department):
            recompute_paths(obj)
        record(
            actor=request.user,
            action=f"admin.{'change' if change else 'add'}_{obj._meta.model_name}",
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )


site = ZhijiaAdminSite(name="zhijia_admin")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["org_unit", "department"]

    def has_add_permission(self, request, obj=None):
        return has_perm(request.user, "core.configure")

    def has_change_permission(self, request, obj=None):
        return has_perm(request.user, "core.configure")

    def has_delete_permission(self, request, obj=None):
        return has_perm(request.user, "core.configure")

    def has_view_permission(self, request, obj=None):
        return has_perm(request.user, "core.configure")


@admin.register(User, site=site)
class UserAdmin(ConfigAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    list_filter = ["is_active", "role_assignments__role"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "email")}),
        (_("状态"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    add_fieldsets = ((None, {"fields": ("username", "full_name", "password1", "password2")}),)


@admin.register(OrgUnit, site=site)
class OrgUnitAdmin(ConfigAdmin):
    list_display = ["name", "code", "kind", "parent"]
    search_fields = ["name", "code"]
    list_filter = ["kind"]
    readonly_fields = ["path"]

    def has_change_permission(self, request, obj=None):
        # Moving a unit would need its subtree's paths rewritten: done by an action, not here.
        return obj is None and self._allowed(request)


@admin.register(Department, site=site)
class DepartmentAdmin(ConfigAdmin):
    list_display = ["name", "code", "parent"]
    search_fields = ["name", "code"]
    readonly_fields = ["path"]

    def has_change_permission(self, request, obj=None):
        return obj is None and self._allowed(request)


@admin.register(WorkdayOverride, site=site)
class WorkdayOverrideAdmin(ConfigAdmin):
    """Holidays and 调休 working days announced after the installed calendar package."""

    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)  # an override is configuration, not history
