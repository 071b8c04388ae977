from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "maatwerk.demo"
    verbose_name = "Demo data"
