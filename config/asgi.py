import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup(set_prefix=False)

from config.routing import routed_asgi_application  # noqa: E402 (needs the apps ready)

# The same two chains as config/wsgi.py: /api/ skips the site's middleware.
application = routed_asgi_application()
