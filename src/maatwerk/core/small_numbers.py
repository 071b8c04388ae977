"""Small-number suppression: the one rule for every aggregate report (the signals report's
figures per outside organisation, the follow-up cohorts). A group with fewer than
SMALL_NUMBER members shows "< 5" and no derived figure, so no one can point at a household
or at a worker through a small cell."""

SMALL_NUMBER = 5


def is_small(count: int) -> bool:
    """A count too small to show (fewer than SMALL_NUMBER)."""
    return count < SMALL_NUMBER
