from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "kezdesu.planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        from kezdesu.planning import tasks  # noqa: F401 — connects the failed-run receiver
