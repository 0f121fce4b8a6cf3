"""Copy the content written before translations into its English columns."""

from django.db import migrations
from django.db.models import F

FIELDS = {
    "Hotel": ("name", "description", "address"),
    "RoomType": ("name", "description"),
    "Amenity": ("name",),
    "CancellationPolicy": ("name", "description"),
}


def copy_to_english(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("hotels", model_name)
        model.objects.update(**{f"{field}_en": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [("hotels", "0010_translated_content")]

    operations = [migrations.RunPython(copy_to_english, migrations.RunPython.noop)]
