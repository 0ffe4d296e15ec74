from django.contrib.auth import views as auth_views
from django.urls import path

from zhijia.accounts.views import activation as views_activation
from zhijia.accounts.views import manage as views_manage
from zhijia.accounts.views import signin as views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/disable/", views.two_factor_disable, name="two-factor-disable"),
    path("two-factor/backup-codes/", views.backup_codes, name="backup-codes"),
    path("security/", views.security, name="security"),
    path("password/", views.password_change, name="password-change"),
    path("password/forgot/", views_activation.forgot, name="password-forgot"),
    path("activate/", views_activation.start, name="activate"),
    path("activate/code/", views_activation.code, name="activate-code"),
    path("activate/password/", views_activation.password, name="activate-password"),
    path("activation/manage/", views_manage.activation_list, name="activation-manage"),
    path("activation/manage/sms/", views_manage.resend_sms, name="activation-sms"),
    path("activation/manage/slips/", views_manage.slips, name="activation-slips"),
]
