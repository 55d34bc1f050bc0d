from django.apps import AppConfig


class TcoConfig(AppConfig):
    name = "apps.tco"
    label = "tco"
