"""What the admin does with parameters nobody's own link would send: the answer an admin user
expects (the primary key, no results, the "incorrect lookup" message), never a server error.
Every admin gets this, Django's and other packages' included (`harden_registered_admins`)."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.db import DataError, router, transaction

from cooperation.limits import SEARCH_MAX_LENGTH


class HostileParametersMixin:
    def get_object(self, request, object_id, from_field=None):
        # `?_to_field=` (empty) means the primary key; Django would look up a field named "".
        return super().get_object(request, object_id, from_field or None)

    def get_search_results(self, request, queryset, search_term):
        if "\x00" in search_term:
            # No stored text holds one (they are refused), and PostgreSQL cannot compare it.
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term[:SEARCH_MAX_LENGTH])

    def get_changelist_instance(self, request):
        """A filter value the database cannot hold (a NUL, a year past 9999, a number past 64
        bits) is the admin's "incorrect lookup" (a redirect and a message), not a server
        error."""
        try:
            with transaction.atomic(using=router.db_for_read(self.model)):
                return super().get_changelist_instance(request)
        except (DataError, OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


def harden_registered_admins(site):
    """Gives every admin registered so far on `site` the mixin, keeping all else it does."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, HostileParametersMixin):
            continue
        base = type(model_admin)
        hardened = type(
            base.__name__, (HostileParametersMixin, base), {"__module__": base.__module__}
        )
        site.unregister(model)
        site.register(model, hardened)
