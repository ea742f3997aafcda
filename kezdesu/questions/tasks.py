"""Background work on questions: telling an author by e-mail that the answer is published."""

from __future__ import annotations

from django.tasks import task

from kezdesu.questions.services import answer_mail_send


@task()
def send_answer_mail(*, question_id: int) -> bool:
    return answer_mail_send(question_id=question_id)
