from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.enrolment import enrolment_code_issue


class Command(BaseCommand):
    help = (
        "Issue a one-time code with which a staff member enrols their authenticator "
        "app at /admin/2fa/ (e.g. the very first superuser). It replaces any earlier "
        "code and is shown only now."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is named {username!r}.")
        if not (user.is_active and user.is_staff):
            raise CommandError(f"{username} is not an active staff member.")
        code, raw = enrolment_code_issue(user=user, issued_by=None)
        expires = code.expires_at.strftime("%Y-%m-%d %H:%M UTC")
        self.stdout.write(f"Enrolment code for {username}: {raw}")
        self.stdout.write(f"Valid once, until {expires}.")
