"""Settings as a fresh process reads them from its environment."""

import json
import os
import subprocess
import sys

from django.conf import settings


def settings_in_subprocess(environment, expression):
    """Evaluate `expression` on settings loaded afresh with `environment`, as the app would."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AXES_",))}
    env.update(environment, DJANGO_SETTINGS_MODULE="cooperation.project.settings")
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({expression}, default=str))"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return json.loads(result.stdout)
