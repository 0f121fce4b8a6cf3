import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup(set_prefix=False)

from config.routing import routed_wsgi_application  # noqa: E402 (needs the apps ready)

application = routed_wsgi_application()
