"""The system administrator's console: Django's admin, opened through zhijia's permission layer.

Only the admin role (with a verified second factor) gets in, and only configuration and
accounts are registered here: no member files, no ballots, no counseling notes.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhijia.accounts.actions import admin as account_actions
from zhijia.accounts.models import PasswordResetRequest, Role, RoleAssignment, User
from zhijia.core import workdays
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
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

    def password_change(self, request, extra_context=None):
        """The administrator's own password is changed on the site's one page (audited,
        accounts.change_password), not on Django's console page, which audits nothing."""
        return HttpResponseRedirect(reverse("accounts:password-change"))

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
        """Save, then one audit event with each changed field's old and new value."""
        before = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if isinstance(obj, OrgUnit | Department):
            recompute_paths(obj)
        changed = field_changes(obj, before, form)
        if change and not changed:
            return  # nothing of the record itself changed (an inline may have: its own events)
        record(
            actor=request.user,
            action=f"admin.{'change' if change else 'add'}_{obj._meta.model_name}",
            target=obj,
            data={"fields": sorted(changed), "changed": changed},
        )

    def delete_model(self, request, obj):
        with transaction.atomic():
            _record_delete(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                _record_delete(request, obj)
            super().delete_queryset(request, queryset)


def _record_delete(request, obj) -> None:
    """One audit event per record deleted in the console, with the values it had."""
    record(
        actor=request.user,
        action=f"admin.delete_{obj._meta.model_name}",
        target=obj,
        data={
            "deleted": {
                f.name: _plain(f.value_from_object(obj))
                for f in obj._meta.concrete_fields
                if f.name not in SECRET_FIELDS
            }
        },
    )


# Model fields whose values never go into the audit log: the log says that they changed.
SECRET_FIELDS = frozenset({"password"})


def _plain(value: Any) -> Any:
    """A field's value as the audit log keeps it: primary keys for relations, text for dates."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset) or hasattr(value, "model"):
        return sorted(_plain(v) for v in value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def field_changes(obj, before, form) -> dict[str, list[Any]]:
    """{field: [old, new]} for the model fields the admin form changed (old None for a new
    record). A secret is written as "(changed)"; form fields that are not the model's (the new
    account's password1/password2) are left out."""
    changes: dict[str, list[Any]] = {}
    for name in form.changed_data:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if name in SECRET_FIELDS:
            changes[name] = [account_actions.CHANGED, account_actions.CHANGED]
            continue
        old = _plain(field.value_from_object(before)) if before is not None else None
        if field.many_to_many:
            new = _plain(form.cleaned_data.get(name) or [])
        else:
            new = _plain(field.value_from_object(obj))
        if old != new:
            changes[name] = [old, new]
    return changes


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
        (
            _("状态"),
            {"fields": ("is_active", "must_change_password", "last_login", "date_joined")},
        ),
    )
    readonly_fields = ["last_login", "date_joined", "must_change_password"]
    add_fieldsets = ((None, {"fields": ("username", "full_name", "password1", "password2")}),)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        """A new account: its record, then the password the administrator gave it, as
        admin.reset_password (she chooses her own at her first sign-in)."""
        if change:
            super().save_model(request, obj, form, change)
            return
        password = form.cleaned_data.get("password1")
        if not form.cleaned_data.get("set_usable_password", True):
            password = None
        obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        if password:
            account_actions.do_admin_reset_password(
                actor=request.user, user=obj, password=password, new_account=True
            )
            obj.refresh_from_db()

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        """Role assignments: each grant, removal and change is its own audit event on the user."""
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        user, actor = form.instance, request.user
        events: list[partial] = []  # written once the rows are saved

        def role_event(do, assignment: dict[str, Any], **extra) -> partial:
            unit = assignment.pop("_unit")
            return partial(do, actor=actor, user=user, assignment=assignment, unit=unit, **extra)

        grant, revoke = account_actions.do_admin_grant_role, account_actions.do_admin_revoke_role
        for inline_form in formset.forms:
            deleted = _marked_deleted(formset, inline_form)
            if not inline_form.has_changed() and not deleted:
                continue
            row = inline_form.instance
            old = _assignment(inline_form.initial) if row.pk and inline_form.initial else None
            if deleted:
                if old is not None:
                    events.append(role_event(revoke, old, assignment_id=row.pk))
                continue
            new = _assignment(inline_form.cleaned_data)
            if old is None:
                events.append(role_event(grant, new))
            elif _scope(old) != _scope(new):
                events.append(role_event(revoke, old, assignment_id=row.pk))
                events.append(role_event(grant, new, assignment_id=row.pk))
            elif old["title"] != new["title"]:
                events.append(
                    partial(
                        account_actions.do_admin_change_role_title,
                        actor=actor,
                        user=user,
                        assignment=row,
                        old=old["title"],
                        new=new["title"],
                    )
                )
        super().save_formset(request, form, formset, change)
        for event in events:
            event()

    def user_change_password(self, request, id, form_url=""):
        """The console's password page: a valid new password (or disabling password sign-in)
        goes through account_actions (audited, the user told and made to choose her own; for
        an account holding a sensitive role, a request a second administrator must approve);
        anything else is Django's page as it was."""
        if request.method == "POST":
            user = self.get_object(request, unquote(id))
            if user is not None and self.has_change_permission(request, user):
                form = self.change_password_form(user, request.POST)
                if form.is_valid():
                    usable = form.cleaned_data["set_usable_password"]
                    if usable or "unset-password" in request.POST:
                        password = form.cleaned_data["password1"] if usable else None
                        return self._reset_password(request, user, form, password)
        return super().user_change_password(request, id, form_url)

    def _reset_password(self, request, user, form, password):
        actor = request.user
        own = user.pk == actor.pk
        change_page = reverse(f"{self.admin_site.name}:accounts_user_change", args=(user.pk,))
        if password is not None and not own and account_actions.needs_second_approval(user):
            account_actions.do_request_password_reset(actor=actor, user=user, password=password)
            messages.warning(
                request,
                gettext("该账号持有敏感角色：重置申请已提交，须由另一位管理员批准后才生效。"),
            )
            return HttpResponseRedirect(change_page)
        account_actions.do_admin_reset_password(actor=actor, user=user, password=password)
        user.refresh_from_db()
        self.log_change(request, user, self.construct_change_message(request, form, []))
        if password is not None and not own:
            messages.success(
                request, gettext("密码已重置；该用户下次登录时须设置新密码，已通知本人。")
            )
        else:
            messages.success(request, gettext("密码已修改。"))
        if own:
            update_session_auth_hash(request, user)
        return HttpResponseRedirect(change_page)


@admin.register(PasswordResetRequest, site=site)
class PasswordResetRequestAdmin(ConfigAdmin):
    """Resets of sensitive accounts' passwords waiting for a second administrator: read here,
    decided on their own page (approve or reject), never edited or deleted."""

    list_display = ["user", "requested_by", "requested_at", "state", "decided_by", "decide_link"]
    list_filter = ["state"]
    fields = ["user", "requested_by", "requested_at", "state", "decided_by", "decided_at"]
    readonly_fields = ["user", "requested_by", "requested_at", "state", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # view only: the decision is its own page

    @admin.display(description=_("审批"))
    def decide_link(self, obj):
        if obj.state != PasswordResetRequest.State.PENDING:
            return "—"
        url = reverse(f"{self.admin_site.name}:accounts_passwordresetrequest_decide", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("批准或驳回"))

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:reset_id>/decide/", decide, name="accounts_passwordresetrequest_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, reset_id: int):
        """A second administrator approves or rejects one pending reset (POST "approve" or
        "reject"); the page says who asked, for which account, and when."""
        reset = get_object_or_404(
            PasswordResetRequest.objects.select_related("user", "requested_by", "decided_by"),
            pk=reset_id,
        )
        if request.method == "POST":
            approve = "approve" in request.POST
            if approve or "reject" in request.POST:
                try:
                    account_actions.do_decide_password_reset(
                        actor=request.user, reset=reset, approve=approve
                    )
                except ActionRefused as exc:
                    messages.error(request, exc.message)
                    return HttpResponseRedirect(request.path)
                messages.success(
                    request,
                    gettext("已批准：新密码已生效，该用户下次登录时须设置新密码，已通知本人。")
                    if approve
                    else gettext("已驳回：密码未改变。"),
                )
                return HttpResponseRedirect(
                    reverse(f"{self.admin_site.name}:accounts_passwordresetrequest_changelist")
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("审批密码重置"),
            "opts": self.opts,
            "reset": reset,
            "pending": reset.state == PasswordResetRequest.State.PENDING,
            "own_request": reset.requested_by_id == request.user.pk,
            "roles": [
                Role(r).label for r in sorted(account_actions.needs_second_approval(reset.user))
            ],
        }
        return TemplateResponse(request, "admin/accounts/passwordresetrequest/decide.html", context)


def _marked_deleted(formset, form) -> bool:
    return bool(formset.can_delete and formset._should_delete_form(form))


def _assignment(values) -> dict[str, Any]:
    """An assignment's role and scope from a form's initial (ids) or cleaned (objects) values."""
    org_unit = values.get("org_unit")
    department = values.get("department")
    if org_unit is not None and not isinstance(org_unit, OrgUnit):
        org_unit = OrgUnit.objects.filter(pk=org_unit).first()
    if department is not None and not isinstance(department, Department):
        department = Department.objects.filter(pk=department).first()
    described = account_actions.describe_assignment(
        role=values.get("role") or "",
        org_unit=org_unit,
        department=department,
        title=values.get("title") or "",
    )
    described["_unit"] = org_unit
    return described


def _scope(assignment: dict[str, Any]) -> tuple:
    return (assignment["role"], assignment["org_unit_id"], assignment["department_id"])


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
