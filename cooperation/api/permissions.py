"""Who may do what through the API: nothing unless a view says so; public reads, and writes by
Django model permission."""

from rest_framework import permissions


class DenyAll(permissions.BasePermission):
    """The default: a view that does not say who may use it serves no one."""

    def has_permission(self, request, view):
        return False


class PublicReadModelPermissions(permissions.DjangoModelPermissions):
    """Anyone may read (what they may see is the queryset's business); adding, changing and
    deleting need the matching Django model permission."""

    authenticated_users_only = False
