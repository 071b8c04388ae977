"""The free text of ledger entries (to whom paid, a note) moves out of the append-only row into
LedgerEntryDetail, which destruction of a case can empty (issue 17): the ledger row keeps the
amount, the budget, the plan and a neutral kind of payee.

The data step only inserts detail rows; the columns are then dropped (DDL, which the
append-only row trigger of migration 0002 does not see). Existing payments keep an empty kind
of payee ("not recorded"): setting it would update ledger rows."""

import django.db.models.deletion
from django.db import migrations, models


def copy_text(apps, schema_editor):
    entry = apps.get_model("decisions", "LedgerEntry")
    detail = apps.get_model("decisions", "LedgerEntryDetail")
    rows = (
        entry.objects.exclude(payee="", note="")
        .order_by("id")
        .values_list("id", "payee", "note")
    )
    batch = []
    for pk, payee, note in rows.iterator(chunk_size=2000):
        batch.append(detail(entry_id=pk, payee=payee, note=note))
        if len(batch) >= 2000:
            detail.objects.bulk_create(batch)
            batch = []
    detail.objects.bulk_create(batch)


# On PostgreSQL the detail rows are as firm as the ledger, except for destruction: an update
# is allowed only when it empties payee and note and stamps the day; a delete never.
ONLY_DESTRUCTION = """
CREATE OR REPLACE FUNCTION decisions_ledgerentrydetail_only_destruction() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.entry_id = OLD.entry_id AND NEW.payee = '' AND NEW.note = ''
     AND NEW.destroyed_at IS NOT NULL THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'decisions_ledgerentrydetail is changed only by destruction';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER decisions_ledgerentrydetail_only_destruction
  BEFORE UPDATE OR DELETE ON decisions_ledgerentrydetail
  FOR EACH ROW EXECUTE FUNCTION decisions_ledgerentrydetail_only_destruction();
"""
DROP_ONLY_DESTRUCTION = """
DROP TRIGGER IF EXISTS decisions_ledgerentrydetail_only_destruction
  ON decisions_ledgerentrydetail;
DROP FUNCTION IF EXISTS decisions_ledgerentrydetail_only_destruction();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ONLY_DESTRUCTION)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_ONLY_DESTRUCTION)


def copy_back(apps, schema_editor):
    # Back to columns on the ledger row would update it: refused by the trigger on PostgreSQL.
    raise RuntimeError("the ledger's free text cannot be moved back into its append-only rows")


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0012_collectiveapproach_public_help'),
    ]

    operations = [
        migrations.AddField(
            model_name='ledgerentry',
            name='payee_kind',
            field=models.CharField(blank=True, choices=[('organisation', 'an organisation'), ('person', 'a private person (for example a landlord)')], max_length=20, verbose_name='kind of payee'),
        ),
        migrations.CreateModel(
            name='LedgerEntryDetail',
            fields=[
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='detail', serialize=False, to='decisions.ledgerentry', verbose_name='ledger entry')),
                ('payee', models.CharField(blank=True, max_length=200, verbose_name='paid to')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                ('destroyed_at', models.DateTimeField(blank=True, null=True, verbose_name='destroyed')),
            ],
            options={
                'verbose_name': 'ledger entry text',
                'verbose_name_plural': 'ledger entry texts',
                'constraints': [models.CheckConstraint(condition=models.Q(('destroyed_at__isnull', True), models.Q(('note', ''), ('payee', '')), _connector='OR'), name='ledgerentrydetail_destroyed_is_empty')],
            },
        ),
        migrations.RunPython(copy_text, copy_back),
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RemoveField(
            model_name='ledgerentry',
            name='note',
        ),
        migrations.RemoveField(
            model_name='ledgerentry',
            name='payee',
        ),
    ]
