from django.db import migrations

from maatwerk.core.append_only import trigger_operation


class Migration(migrations.Migration):
    """A signal's history and the workers' contributions are append-only on PostgreSQL too."""

    dependencies = [("signals", "0001_initial")]

    operations = [
        trigger_operation("signals_signalevent"),
        trigger_operation("signals_contribution"),
    ]
