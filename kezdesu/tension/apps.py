from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TensionConfig(AppConfig):
    name = "kezdesu.tension"
    verbose_name = _("Social tension")

    def ready(self) -> None:
        from kezdesu.tension import tasks  # noqa: F401 — connects the failed-import receiver
