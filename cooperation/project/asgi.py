"""ASGI config for cooperation project.

It exposes the ASGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/asgi/"""

import os

from django.core.asgi import get_asgi_application

from cooperation.project.web_process import configure_web_process

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.project.settings")


application = get_asgi_application()
configure_web_process()
