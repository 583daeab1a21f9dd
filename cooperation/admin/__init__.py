"""The admin: the core domain's entries (entries.py) on the base classes every atlas model
shares (base.py: history, lost-update protection, the workflow's buttons), autocomplete widgets
that accept only well-formed keys (widgets.py), and the staff's import, export and audit pages
(views.py), and hostile parameters answered as the admin would (hostile.py). Importing this package
registers the entries, as Django's autodiscovery expects."""

from django.contrib import admin

from cooperation.admin import entries, releases  # noqa: F401 (registers the ModelAdmins)
from cooperation.admin.hostile import harden_registered_admins

# Django's own admins (users, groups) and other packages' (tokens, sign-in attempts) were
# registered before this package was imported, in the order of INSTALLED_APPS.
harden_registered_admins(admin.site)
