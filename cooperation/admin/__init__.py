"""The admin: the core domain's entries (entries.py) on the base classes every atlas model
shares (base.py: history, lost-update protection, the workflow's buttons), autocomplete widgets
that accept only well-formed keys (widgets.py), and the staff's import, export and audit pages
(views.py). Importing this package registers the entries, as Django's autodiscovery expects."""

from cooperation.admin import entries  # noqa: F401 (registers the ModelAdmins)
