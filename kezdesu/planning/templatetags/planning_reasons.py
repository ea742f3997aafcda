from django import template

from kezdesu.planning.messages import evidence_text, reason_text

register = template.Library()


@register.filter
def reason(value) -> str:
    """Words an engine reason stored with a plan ({"code": …, "params": …}) in the active language."""
    return reason_text(value)


@register.filter
def evidence(value) -> list[str]:
    """Words the figures of a region's evidence stored with a plan item or a meeting, in the active language."""
    return evidence_text(value)
