from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhijia.accounts"
    label = "accounts"
    verbose_name = "accounts"
