"""The plan PDF's tables (walk finding 11): column headers are not hyphenated ("Aan-tal",
"(maan-den)", "het ge-beurt", "Wie be-taalt") and dates stay on one line ("4 december 2026")."""

import os
import re
import shutil
import subprocess

from maatwerk.core.formatting import long_date
from maatwerk.decisions.models import DecisionStep

from .test_plan_document_pdf import _text, approved_pdf, rendered  # noqa: F401  (the fixtures)

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]+)</word>'
)


def _words(path) -> list[tuple[int, float, float, str]]:
    page, words = 0, []
    for line in _text(path, "-bbox").splitlines():
        if line.strip().startswith("<page "):
            page += 1
        m = WORD.search(line)
        if m:
            words.append((page, float(m[2]), float(m[1]), m[3]))
    return words


def test_headers_are_not_hyphenated_and_dates_do_not_wrap(approved_pdf):  # noqa: F811
    path = approved_pdf["path"]
    if os.environ.get("SHOTS_DIR") and shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", str(path), os.environ["SHOTS_DIR"] + "/pdf"]
        )
    words = _words(path)
    texts = [w[3] for w in words]
    for whole in ("Aantal", "(maanden)", "gebeurt", "betaalt", "Betrouwbaarheid"):
        assert whole in texts, f"{whole!r} is broken over lines"
    assert not [t for t in texts if re.fullmatch(r"\w+[-\u2010]", t)]
    # The decision trail's deadline: day, month and year on one line.
    step = DecisionStep.objects.filter(plan=approved_pdf["plan"]).first()
    day, month, year = long_date(step.deadline).split()
    lines = {(p, y) for p, y, x, t in words if t == month}
    assert any(
        {day, year} <= {t for p2, y2, x, t in words if (p2, y2) == line} for line in lines
    ), f"{day} {month} {year} wraps in the PDF"
