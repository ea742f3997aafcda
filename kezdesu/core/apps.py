from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What a visitor reads when a form's values break a database rule that has no message of its own. Django's
# default names the constraint ("Constraint “commitment_has_responsible” is violated."), which means
# nothing to the reader and tells an outsider how the tables are built.
CONSTRAINT_MESSAGE = _("These values do not fit together. Check the fields marked and try again.")


class CoreConfig(AppConfig):
    name = "kezdesu.core"
    verbose_name = _("Core")

    def ready(self):
        from django.apps import apps
        from django.db.models.constraints import BaseConstraint

        old = BaseConstraint.default_violation_error_message
        # The class default changes together with the instances, so that `deconstruct()` (and with it the
        # migrations) still sees every constraint as using the default message.
        BaseConstraint.default_violation_error_message = CONSTRAINT_MESSAGE
        for model in apps.get_models():
            for constraint in model._meta.constraints:
                if constraint.violation_error_message == old:
                    constraint.violation_error_message = CONSTRAINT_MESSAGE
