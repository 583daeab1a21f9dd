"""Settings for the Counterterrorism Cooperation Atlas, one module per subject.

Driven by environment variables (see `.env.example`). The defaults are safe for development:
SQLite in the repository root and DEBUG on. Production sets DEBUG=false, a real SECRET_KEY,
ALLOWED_HOSTS and a PostgreSQL DATABASE_URL. Django reads the names these modules define."""

from cooperation.project.settings.api import *  # noqa: F403
from cooperation.project.settings.core import *  # noqa: F403
from cooperation.project.settings.mail import *  # noqa: F403
from cooperation.project.settings.security import *  # noqa: F403
