from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cooperation.editorial.accounts import revoke_token


class Command(BaseCommand):
    help = (
        "Revoke a user's API token: requests that send it get 401 from now on. The user gets a "
        "new token at their next sign-in to /api/v1/auth/token/."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user_model = get_user_model()
        try:
            user = user_model.objects.get(username=username)
        except user_model.DoesNotExist:
            raise CommandError(f"No user named “{username}”.") from None
        if revoke_token(user):
            self.stdout.write(self.style.SUCCESS(f"Revoked the API token of “{username}”."))
        else:
            self.stdout.write(f"“{username}” has no API token; nothing to revoke.")
