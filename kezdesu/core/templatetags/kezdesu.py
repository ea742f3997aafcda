from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()


@register.filter
def bar_class(progress) -> str:
    """CSS class for a progress bar in steps of 10 % (inline styles are barred by the CSP)."""
    try:
        value = max(0, min(100, int(progress)))
    except (TypeError, ValueError):
        value = 0
    return f"w{round(value / 10) * 10}"


# What each audited verb means, for the audit trail in the reader's language (codes are stored in English).
_AUDIT_VERBS = {
    "create": gettext_lazy("created"),
    "update": gettext_lazy("changed"),
    "change": gettext_lazy("changed"),
    "delete": gettext_lazy("deleted"),
    "load": gettext_lazy("loaded from the reference data"),
    "submit": gettext_lazy("submitted"),
    "snapshot": gettext_lazy("frozen as submitted"),
    "publish": gettext_lazy("published"),
    "acknowledge": gettext_lazy("receipt acknowledged"),
    "import": gettext_lazy("imported"),
    "open": gettext_lazy("opened"),
    "close": gettext_lazy("closed"),
    "bound": gettext_lazy("assigned to a body"),
    "unbound": gettext_lazy("left without a body"),
    "link": gettext_lazy("linked to a meeting"),
    "results": gettext_lazy("results recorded"),
    "from_plan": gettext_lazy("drafted from the plan"),
    "cohost_held": gettext_lazy("held jointly"),
    "raise": gettext_lazy("raised at the meeting"),
    "optimise": gettext_lazy("drafted by the optimiser"),
    "agree": gettext_lazy("agreed"),
    "move": gettext_lazy("moved"),
    "set": gettext_lazy("checklist item updated"),
    "add": gettext_lazy("added"),
    "bodies": gettext_lazy("responsible bodies changed"),
    "password_change": gettext_lazy("password changed"),
    "approve": gettext_lazy("approved"),
}


def _audited_model(event):
    try:
        return apps.get_model(event.object_type)
    except (LookupError, ValueError):
        return None


@register.filter
def audit_action(event) -> str:
    """An audit event's action in words: "Meeting — agreed" for `meeting.agreed`; the code when unknown."""
    model = _audited_model(event)
    verb = event.action.rsplit(".", 1)[-1]
    what = _AUDIT_VERBS.get(verb)
    if what is None and model is not None:
        try:
            what = dict(model._meta.get_field("status").choices).get(verb)
        except FieldDoesNotExist:
            what = None
    if what is None or model is None:
        return event.action
    return _("%(object)s — %(what)s") % {"object": capfirst(model._meta.verbose_name), "what": what}


@register.filter
def audit_object(event) -> str:
    """The audited object's kind and number in the reader's language ("Meeting No. 12")."""
    model = _audited_model(event)
    kind = capfirst(model._meta.verbose_name) if model is not None else event.object_type
    return _("%(kind)s No. %(id)s") % {"kind": kind, "id": event.object_id}
