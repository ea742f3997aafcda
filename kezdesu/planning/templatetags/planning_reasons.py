from django import template

from kezdesu.planning.messages import reason_text

register = template.Library()


@register.filter
def reason(value) -> str:
    """Words an engine reason stored with a plan ({"code": …, "params": …}) in the active language."""
    return reason_text(value)
