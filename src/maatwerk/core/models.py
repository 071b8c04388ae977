"""The one model of `core`: the generic full-text search index (see `core/search.py`).

It lives here, on the ground layer, so that every app that needs search (the library of good
examples now, the regelbank of the legal catalogue later) writes to and reads from one index
without knowing another app. It names no domain model: a document is a `kind` ("library.example")
and the id of the object it stands for; what a user may see is decided by the caller, who passes
the ids it allows to `search()`.
"""

from django.db import models


class SearchDocument(models.Model):
    """The indexed text of one object, in four weight classes (A is the heaviest).

    The text columns hold the plain text as given (already de-identified by the caller where it
    came from casework). The search structures beside it depend on the database and are made by
    the migration, not by the ORM: on PostgreSQL a generated `tsvector` column (`dutch`
    configuration) with a GIN index; on SQLite an FTS5 table `core_searchdocument_fts` holding the
    Python-stemmed words, rowid = this row's id.
    """

    kind = models.CharField(max_length=50)
    object_id = models.BigIntegerField()
    text_a = models.TextField(blank=True, default="")
    text_b = models.TextField(blank=True, default="")
    text_c = models.TextField(blank=True, default="")
    text_d = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="core_searchdoc_kind_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
