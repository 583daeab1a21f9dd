"""Staff accounts in the editorial groups, as the tests' editors and reviewers."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


def member_of(group_name, username, *, email=""):
    """A staff user of that group, fetched afresh so no permission is cached on the object."""
    users = get_user_model().objects
    user = users.create_user(username, email=email, password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return users.get(pk=user.pk)
