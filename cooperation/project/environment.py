"""Reading the settings' environment variables (`.env.example` lists them all): each read names
its variable and default once, and a value that is not what the setting needs stops the start
with a message naming the variable."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE:
        return True
    if value.strip().lower() in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}."
    )


def env_int(name, default, *, minimum=0):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of {minimum} or more, not {value!r}."
        )
    return number


def env_list(name, default):
    """A comma-separated list; empty items are left out."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
