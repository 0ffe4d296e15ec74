from django.apps import AppConfig


class TestAppConfig(AppConfig):
    name = "zhijia.core.tests.testapp"
    label = "core_testapp"
    verbose_name = "zhijia core test models"
    default_auto_field = "django.db.models.BigAutoField"
