from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TensionConfig(AppConfig):
    name = "kezdesu.tension"
    verbose_name = _("Social tension")
