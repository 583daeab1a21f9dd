"""Accounts: creating editor and reviewer accounts, revoking API tokens, ending a deactivated
user's sessions, and what django-axes needs from the project (the client's address, the lockout
page). Commands and signals call these functions; docs/security.md says how it fits together."""

import ipaddress

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authtoken.models import Token

from cooperation.editorial.groups import ROLE_GROUPS


class AccountError(Exception):
    """An account that cannot be created as asked; the message says why."""


def username_taken(username):
    """Whether an account has this username, in any letter case (as Django's sign-up form)."""
    return get_user_model().objects.filter(username__iexact=username).exists()


@transaction.atomic
def create_account(*, username, role, email, password):
    """A staff account in the role's group, or AccountError with nothing created."""
    if role not in ROLE_GROUPS:
        raise AccountError(f"Unknown role “{role}”: choose one of {', '.join(ROLE_GROUPS)}.")
    if username_taken(username):
        raise AccountError(f"An account named “{username}” already exists.")
    try:
        group = Group.objects.get(name=ROLE_GROUPS[role])
    except Group.DoesNotExist:
        raise AccountError(
            f"The {ROLE_GROUPS[role]} group does not exist; run `manage.py migrate` first."
        ) from None
    user = get_user_model()(username=username, email=email, is_staff=True)
    try:
        user.full_clean(exclude=["password"])
        validate_password(password, user)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None
    user.set_password(password)
    user.save()
    user.groups.add(group)
    return user


def revoke_token(user):
    """Delete the user's API token; True if there was one. A new one is issued at next sign-in."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


def end_sessions(user):
    """Delete every stored session signed in as `user` (database sessions, the default); returns
    how many. Reads each live session, which is fine for the few staff sessions the atlas has."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def user_saved(sender, instance, **kwargs):
    """A deactivated user loses their sessions and token at once. Django already refuses an
    inactive user's session and DRF their token; deleting them means reactivating the account
    does not bring the old ones back."""
    if not instance.is_active:
        end_sessions(instance)
        revoke_token(instance)


def client_ip(request):
    """The client's address: as the trusted proxies received it (TRUSTED_PROXY_COUNT hops from
    the right of X-Forwarded-For, as DRF's NUM_PROXIES counts), or the connection's own. Axes
    stores it in an address column, so anything that is not an address falls back too."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if count and addresses:
        candidate = addresses[-min(count, len(addresses))]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def attempted_username(request, credentials):
    """The username a sign-in tried, cut to the longest a real one can be: the token endpoint
    takes any length, and axes stores it in a 255-character column."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    if not isinstance(username, str):
        return None
    return username[: get_user_model()._meta.get_field("username").max_length]


def cool_off_seconds():
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def cool_off_minutes():
    return max(1, round(cool_off_seconds() / 60))


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets: 429, saying when to try again."""
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed sign-ins",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "retry_minutes": cool_off_minutes(),
        "retry_at": timezone.now() + settings.AXES_COOLOFF_TIME,
    }
    response = render(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(cool_off_seconds())
    return response


class SignInLockedOut(exceptions.Throttled):
    """The API token endpoint's answer once django-axes has locked the username and address:
    429 with Retry-After, in the API's error shape."""

    default_code = "locked_out"

    def __init__(self):
        minutes = cool_off_minutes()
        # APIException's own __init__: Throttled's would append "Expected available in ...".
        exceptions.APIException.__init__(
            self,
            "Too many failed sign-ins for this username from this address; "
            f"try again in {minutes} minute{'' if minutes == 1 else 's'}.",
        )
        self.wait = cool_off_seconds()
