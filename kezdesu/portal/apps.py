from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "kezdesu.portal"
    verbose_name = _("Public portal")

    def ready(self):
        from kezdesu.portal import signals

        signals.connect()
