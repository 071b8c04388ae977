"""The generic full-text search index (core/search.py).

The model is portable; what makes it searchable depends on the database, so it is made here by
SQL for the vendor at hand (RunPython only to choose the vendor):

- PostgreSQL: a generated, stored `tsvector` column with the `dutch` configuration and the four
  weights, kept up to date by the database on every write, and a GIN index on it.
- SQLite: an FTS5 table of the Python-stemmed words (FTS5 has no Dutch stemmer), rowid = the
  document's id, written by `core.search.index_document`.
"""

from django.db import migrations, models

POSTGRES_FORWARD = [
    """
    ALTER TABLE core_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch'::regconfig, text_a), 'A')
        || setweight(to_tsvector('dutch'::regconfig, text_b), 'B')
        || setweight(to_tsvector('dutch'::regconfig, text_c), 'C')
        || setweight(to_tsvector('dutch'::regconfig, text_d), 'D')
    ) STORED
    """,
    # fastupdate off: documents are written seldom (an approval), searched often; a pending
    # list would make every search scan the unsorted new entries until the next vacuum.
    "CREATE INDEX core_searchdocument_vector ON core_searchdocument USING gin (vector) "
    "WITH (fastupdate = off)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS core_searchdocument_vector",
    "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS vector",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE core_searchdocument_fts USING fts5("
    "text_a, text_b, text_c, text_d, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS core_searchdocument_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=50)),
                ("object_id", models.BigIntegerField()),
                ("text_a", models.TextField(blank=True, default="")),
                ("text_b", models.TextField(blank=True, default="")),
                ("text_c", models.TextField(blank=True, default="")),
                ("text_d", models.TextField(blank=True, default="")),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="core_searchdoc_kind_object"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
