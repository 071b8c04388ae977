from rest_framework.pagination import LimitOffsetPagination


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`?limit=` is capped: an unbounded number reaches the database as LIMIT and fails there
    (PostgreSQL: bigint out of range; SQLite: integer overflow) instead of answering."""

    max_limit = 200
