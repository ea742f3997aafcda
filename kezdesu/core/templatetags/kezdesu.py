from django import template

register = template.Library()


@register.filter
def bar_class(progress) -> str:
    """CSS class for a progress bar in steps of 10 % (inline styles are barred by the CSP)."""
    try:
        value = max(0, min(100, int(progress)))
    except (TypeError, ValueError):
        value = 0
    return f"w{round(value / 10) * 10}"
