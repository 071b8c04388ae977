"""On PostgreSQL the database also refuses to TRUNCATE the audit log."""

from django.db import migrations

from maatwerk.core.append_only import truncate_trigger_operation


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [truncate_trigger_operation("audit_auditevent")]
