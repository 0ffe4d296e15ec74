"""Pages of pregnancy and birth registrations: hers on the phone, the committee's list. Thin:
parse, call one query or action, render. A committee member's view of a registration is
audited (zhijia.women.privacy)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import NoInput, step_view
from zhijia.women import privacy, rules
from zhijia.women.actions import registrations as actions
from zhijia.women.forms.registrations import BirthForm, DepartmentConsentForm, RegistrationForm
from zhijia.women.models import Registration
from zhijia.women.models.registrations import Details
from zhijia.women.queries import checks as check_queries
from zhijia.women.queries import registrations as queries
from zhijia.women.queries import rooms as room_queries
from zhijia.women.queries.common import is_woman_member

PART_LABELS = {
    "base": gettext_lazy("产假（第七条）"),
    "difficult": gettext_lazy("难产增加"),
    "multiple": gettext_lazy("多胞胎增加"),
    "province": gettext_lazy("本省延长生育假"),
    "province_difficult": gettext_lazy("本省难产增加"),
    "province_multiple": gettext_lazy("本省多胞胎增加"),
    "miscarriage_early": gettext_lazy("怀孕未满4个月流产"),
    "miscarriage_late": gettext_lazy("怀孕满4个月流产"),
}


@dataclass(eq=False)
class RegistrationRow(Row[Registration]):
    details: Details | None = None
    ent: rules.Entitlements | None = None
    parts: tuple = ()


def _row(registration: Registration) -> RegistrationRow:
    details = registration.get_details()
    ent = queries.entitlements_of(registration, details)
    parts: tuple = ()
    if ent.leave is not None:
        parts = tuple((PART_LABELS.get(code, code), days) for code, days in ent.leave.parts)
    return RegistrationRow(registration, details=details, ent=ent, parts=parts)


def _require_woman(request) -> None:
    if not is_woman_member(request.user):
        raise PermissionDenied


@login_required
def home(request):
    """Her women workers' services: her registrations with her entitlements, the nursing
    rooms and the health check."""
    _require_woman(request)
    user = request.user
    return render(
        request,
        "women/home.html",
        {
            "title": _("女职工服务"),
            "registrations": [_row(r) for r in queries.my_registrations(user)],
            "rooms": room_queries.rooms_for_member(user).count(),
            "checks": check_queries.campaigns_for_member(user).count(),
        },
    )


def _register_page(request, form, status=200):
    return render(
        request, "women/register.html", {"title": _("孕产登记"), "form": form}, status=status
    )


@login_required
def register(request):
    _require_woman(request)
    form = RegistrationForm(request.POST or None)
    if request.method != "POST":
        return _register_page(request, form)
    if not form.is_valid():
        return _register_page(request, form, 400)
    d = form.cleaned_data
    registration, status = run_action(
        form,
        lambda: actions.do_register_pregnancy(
            actor=request.user,
            kind=d["kind"],
            province=d["province"],
            consent=d["consent"],
            department_consent=d["department_consent"],
            babies=d["babies"],
            difficult=d["difficult"],
            expected_date=d["expected_date"],
            birth_date=d["birth_date"],
            miscarriage_date=d["miscarriage_date"],
            months_pregnant=d["months_pregnant"],
        ),
    )
    if status != 200:
        return _register_page(request, form, status)
    messages.success(request, _("已登记，以下是您的权益"))
    return redirect("women:registration", registration.pk)


def _birth_initial(registration: Registration) -> dict:
    details = registration.get_details()
    return {
        "birth_date": details.birth_date,
        "babies": details.babies,
        "difficult": details.difficult,
    }


def _detail_page(request, registration, *, birth_form=None, consent_form=None, status=200):
    own = registration.user_id == request.user.pk
    return render(
        request,
        "women/registration.html",
        {
            "title": _("孕产登记"),
            "row": _row(registration),
            "own": own,
            "birth_form": birth_form or BirthForm(initial=_birth_initial(registration)),
            "consent_form": consent_form
            or DepartmentConsentForm(initial={"consent": registration.department_consent}),
        },
        status=status,
    )


@login_required
def registration_detail(request, registration_id: int):
    registration = queries.access_registration(request.user, registration_id)
    privacy.record_registration_read(request.user, registration)
    return _detail_page(request, registration)


def _success_url(registration_id: int) -> str:
    return reverse("women:registration", args=[registration_id])


@login_required
@require_POST
def record_birth(request, registration_id: int):
    registration = queries.access_registration(request.user, registration_id)
    return step_view(
        request,
        form=BirthForm(request.POST),
        call=lambda d: actions.do_record_birth(
            actor=request.user,
            registration=registration,
            birth_date=d["birth_date"],
            babies=d["babies"],
            difficult=d["difficult"],
        ),
        on_error=lambda form, status: _detail_page(
            request, registration, birth_form=form, status=status
        ),
        success_url=_success_url(registration.pk),
        message=_("已记录生育，产假和哺乳期已重新计算"),
    )


@login_required
@require_POST
def department_consent(request, registration_id: int):
    registration = queries.access_registration(request.user, registration_id)
    return step_view(
        request,
        form=DepartmentConsentForm(request.POST),
        call=lambda d: actions.do_set_department_consent(
            actor=request.user, registration=registration, consent=d["consent"]
        ),
        on_error=lambda form, status: _detail_page(
            request, registration, consent_form=form, status=status
        ),
        success_url=_success_url(registration.pk),
        message=_("已保存"),
    )


@login_required
@require_POST
def withdraw(request, registration_id: int):
    registration = queries.access_registration(request.user, registration_id)
    return step_view(
        request,
        form=NoInput(request.POST),
        call=lambda d: actions.do_withdraw_registration(
            actor=request.user, registration=registration
        ),
        on_error=lambda form, status: _detail_page(request, registration, status=status),
        success_url=reverse("women:home"),
        message=_("已撤回同意，登记已删除"),
    )


@login_required
def committee_registrations(request):
    """The committee's list: who registered (open one to read its details; audited)."""
    if not queries.may_see_registrations(request.user):
        raise PermissionDenied
    return render(
        request,
        "women/registrations.html",
        {
            "title": _("孕产登记"),
            "registrations": paginate(request, queries.visible_to(request.user)),
        },
    )
