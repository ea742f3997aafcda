from kezdesu.questions.selectors import moderation_count
from kezdesu.users.roles import can


def moderation(request):
    """How many questions wait for a moderator, for the staff header (None for those who do not moderate)."""
    user = getattr(request, "user", None)
    if user is None or not can(user, "question.moderate"):
        return {"moderation_waiting": None}
    return {"moderation_waiting": moderation_count(user)}
