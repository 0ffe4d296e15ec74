"""Sign-in, sign-out, lockout message and two-factor pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": _("登录")}


def locked_out(request, credentials=None, *args, **kwargs):
    return render(request, "accounts/locked_out.html", status=403)


def two_factor(request):
    return render(request, "accounts/two_factor.html")
