"""Which reads of personal data the privacy officer should look at (issue 17, point 6).

Plain data in, plain data out: the thresholds come from settings, the counts from the audit log.
The report protects residents; it is no measure of anyone's work, so it names only the users
above a threshold, never a ranking of everyone.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    days: int = 30  # the period looked at, ending today
    outside_cases: int = 20  # distinct cases of other teams read in that period
    night_start: int = 22  # local hour a night begins (inclusive)
    night_end: int = 6  # local hour it ends (exclusive)
    night_reads: int = 5  # reads of personal data at night in that period

    def __post_init__(self):
        if self.days < 1 or self.outside_cases < 1 or self.night_reads < 1:
            raise ValueError("thresholds and the period must be at least 1")
        if not (0 <= self.night_start <= 23 and 0 <= self.night_end <= 23):
            raise ValueError("night hours must lie between 0 and 23")


def is_night(hour: int, t: Thresholds) -> bool:
    """A night that wraps midnight (22–6) or one that does not (1–5)."""
    if t.night_start == t.night_end:
        return False
    if t.night_start < t.night_end:
        return t.night_start <= hour < t.night_end
    return hour >= t.night_start or hour < t.night_end


def night_hours(t: Thresholds) -> list[int]:
    return [hour for hour in range(24) if is_night(hour, t)]


@dataclass(frozen=True)
class Reads:
    user_id: int
    outside_cases: int
    night_reads: int


@dataclass(frozen=True)
class Flag:
    user_id: int
    outside_cases: int
    night_reads: int
    many_outside: bool
    at_night: bool


def flags(reads: list[Reads], t: Thresholds) -> list[Flag]:
    """Users at or above a threshold, most outside reads first; nobody else."""
    result = [
        Flag(
            r.user_id,
            r.outside_cases,
            r.night_reads,
            many_outside=r.outside_cases >= t.outside_cases,
            at_night=r.night_reads >= t.night_reads,
        )
        for r in reads
    ]
    result = [f for f in result if f.many_outside or f.at_night]
    return sorted(result, key=lambda f: (-f.outside_cases, -f.night_reads, f.user_id))
