from django.core.management.base import BaseCommand

from kezdesu.core.notifications import pending_mail_enqueue


class Command(BaseCommand):
    help = ("Queue again the mail of notices that could not be sent (mail server down), up to "
            "EMAIL_MAX_ATTEMPTS tries each. Run every few minutes by deploy/kezdesu-housekeeping.timer.")

    def handle(self, *args, **options):
        self.stdout.write(f"queued={pending_mail_enqueue()}")
