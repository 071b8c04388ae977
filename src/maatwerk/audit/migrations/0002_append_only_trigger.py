"""On PostgreSQL the database itself refuses to change or remove audit events."""

from django.db import migrations

from maatwerk.core.append_only import trigger_operation


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [trigger_operation("audit_auditevent")]
