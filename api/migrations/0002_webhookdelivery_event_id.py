import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    """One delivery per (endpoint, booking event): the event's id on every delivery.

    Deliveries made before this carry their event's id in the payload (one id per
    event, shared by its endpoints), so it fills the new column.
    """

    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="event_id",
            field=models.UUIDField(null=True),
        ),
        migrations.RunSQL(
            "UPDATE api_webhookdelivery SET event_id = (payload->>'id')::uuid",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="event_id",
            field=models.UUIDField(default=uuid.uuid4),
        ),
        migrations.AddConstraint(
            model_name="webhookdelivery",
            constraint=models.UniqueConstraint(
                fields=("endpoint", "event_id"), name="webhook_delivery_once"
            ),
        ),
    ]
