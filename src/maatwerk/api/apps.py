from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "maatwerk.api"
    verbose_name = "API"
