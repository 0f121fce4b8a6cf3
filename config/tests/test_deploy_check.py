"""Production settings pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def test_production_settings_pass_check_deploy_without_warnings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "innkeep.example.com",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_no_model_field_has_a_fixed_time_of_day_default():
    """Django warns (fields.W161) about a fixed date or time default during the ten seconds
    around it, which failed the check above at 11:00, 15:00 and 22:00 UTC; defaults are
    callables instead."""
    from django.apps import apps
    from django.db import models

    ours = [
        model
        for model in apps.get_models()
        if model._meta.app_config.path.startswith(str(settings.BASE_DIR))
        and ".venv" not in model._meta.app_config.path
    ]
    fixed = [
        f"{model._meta.label}.{field.name}"
        for model in ours
        for field in model._meta.get_fields()
        if isinstance(field, models.DateField | models.TimeField)
        and field.has_default()
        and not callable(field.default)
    ]
    assert fixed == []
