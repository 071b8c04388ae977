"""Rebuild the full-text index of the regelbank, the cost catalogue and the library (after a
restore or an import).

manage.py reindex_search
"""

from django.core.management.base import BaseCommand

from maatwerk.costs import search as costs_search
from maatwerk.legal import search as legal_search
from maatwerk.library import search as library_search


class Command(BaseCommand):
    help = "Rebuild the full-text index of the regelbank, the cost catalogue and the library."

    def handle(self, *args, **options):
        rows = legal_search.reindex_all()
        items = costs_search.reindex_all()
        examples = library_search.reindex_all()
        self.stdout.write(
            f"regelbank: {rows} rijen; kostencatalogus: {items} kostenposten; "
            f"bibliotheek: {examples} voorbeelden"
        )
