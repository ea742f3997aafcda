from kezdesu.questions.selectors import moderation_count, questions_to_answer
from kezdesu.users.context_processors import signed_in_user
from kezdesu.users.roles import can


def moderation(request):
    """Counts for the staff header: questions waiting for a moderator (`moderation_waiting`) and published
    questions waiting for the user's body to answer (`answers_waiting`); None for those who do neither."""
    counts = {"moderation_waiting": None, "answers_waiting": None}
    user = signed_in_user(request)
    if user is None:
        return counts
    if can(user, "question.moderate"):
        counts["moderation_waiting"] = moderation_count(user)
    if can(user, "question.answer"):
        counts["answers_waiting"] = questions_to_answer(user).count()
    return counts
