"""Copy the rate plan names written before translations into their English column."""

from django.db import migrations
from django.db.models import F


def copy_to_english(apps, schema_editor):
    apps.get_model("inventory", "RatePlan").objects.update(name_en=F("name"))


class Migration(migrations.Migration):
    dependencies = [("inventory", "0006_translated_rate_plan_names")]

    operations = [migrations.RunPython(copy_to_english, migrations.RunPython.noop)]
