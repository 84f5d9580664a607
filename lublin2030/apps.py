from django.apps import AppConfig


class Lublin2030Config(AppConfig):
    name = "lublin2030"
    verbose_name = "Lublin 2030"
