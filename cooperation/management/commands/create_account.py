import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from cooperation.editorial.accounts import AccountError, create_account, username_taken
from cooperation.editorial.groups import ROLE_GROUPS


class Command(BaseCommand):
    help = (
        "Create a staff account for an editor or a reviewer, in the Editors or Reviewers group. "
        "The password is asked for twice, or read from standard input with --password-stdin, "
        "and must pass the site's password rules."
    )
    stealth_options = ("stdin",)  # call_command(stdin=...) in tests, as createsuperuser

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=list(ROLE_GROUPS))
        parser.add_argument("--email", default="", help="Where the account holder gets mail.")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input (for scripts).",
        )

    def handle(self, *args, username, role, email, password_stdin, **options):
        self.stdin = options.get("stdin", sys.stdin)
        if username_taken(username):  # before asking for a password that would be wasted
            raise CommandError(f"No account created: an account named “{username}” exists.")
        password = self.read_password() if password_stdin else self.prompt_password()
        try:
            user = create_account(username=username, role=role, email=email, password=password)
        except AccountError as error:
            raise CommandError(f"No account created: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(f"Created {role} account “{user.username}” ({ROLE_GROUPS[role]}).")
        )

    def read_password(self):
        password = self.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("No account created: standard input held no password.")
        return password

    def prompt_password(self):
        if not self.stdin.isatty():
            raise CommandError(
                "No account created: no terminal to ask for the password; "
                "pipe it in with --password-stdin."
            )
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("No account created: the two passwords differ.")
        return password
