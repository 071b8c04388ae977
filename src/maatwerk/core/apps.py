from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "maatwerk.core"
    verbose_name = "Core"
