"""WSGI config for cooperation project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/"""

import os

from django.core.wsgi import get_wsgi_application

from cooperation.project.web_process import configure_web_process

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.project.settings")


application = get_wsgi_application()
configure_web_process()
