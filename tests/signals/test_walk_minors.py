"""Minors from a walk of the signal pages (issue 14): the chart's figures at 320 px, one
rendering of a small number, the early signals' small totals."""

from django.template import Context, Template
from django.utils import translation

from maatwerk.core.small_numbers import INSIDE
from maatwerk.partners import report as partner_report
from maatwerk.signals import charts


def _render(source: str, **context) -> str:
    with translation.override("nl"):
        return Template("{% load maatwerk %}" + source).render(Context(context))


def test_the_chart_draws_each_figure_as_text_after_a_bar_scaled_to_the_largest():
    chart = charts.bars([("A", 20, False), ("B", 10, False), ("C", None, True), ("D", None, False)])
    assert [b.percent for b in chart.rows] == [charts.BAR_SHARE, round(charts.BAR_SHARE / 2), 0, 0]
    assert [(b.value, b.small) for b in chart.rows] == [
        (20, False), (10, False), (None, True), (None, False),
    ]  # fmt: skip
    assert charts.bars([("A", None, True)]) is None  # nothing to draw
    assert charts.bars([("A", 1000, False), ("B", 1, False)]).rows[1].percent == 1  # visible


def test_small_count_is_the_one_rendering_of_a_suppressed_count():
    tag = "{% small_count value small minimum mark %}"
    assert _render(tag, value=1234, small=False, minimum=5, mark="") == "1234"  # as {{ value }}
    assert _render(tag, value=None, small=True, minimum=5, mark="") == "&lt; 5"
    secondary = _render(tag, value=None, small=False, minimum=5, mark="")
    assert secondary == (
        '<span title="verborgen, zodat een ander verborgen getal niet te berekenen is">·</span>'
    )
    public = _render(tag, value=None, small=False, minimum=10, mark="verborgen")
    assert public == '<span class="om-hidden-mark">verborgen</span>'


def test_a_small_early_signal_total_reads_as_small_not_as_a_protecting_dot():
    """Walk: a partner type with 1 signal showed its total as "·" (hidden to protect another
    figure) where the small-number rule's "< 5" was meant."""
    counts = partner_report.build(
        [("Energie", partner_report.NOT_YET, 1), ("Huur", partner_report.NOT_YET, 5)], INSIDE
    )
    energy, rent = counts.groups
    assert (energy.total, energy.total_small, energy.lines[0].small) == (None, True, True)
    # Huur's 5 is hidden too, so that Energie's 1 cannot be worked out: that one is the dot.
    assert (rent.total, rent.total_small, rent.lines[0].small) == (None, False, False)
    assert (counts.total, counts.total_small) == (None, False)
    html = _render(
        "{% for g in counts.groups %}[{% small_count g.total g.total_small counts.minimum %}]"
        "{% endfor %}",
        counts=counts,
    )
    assert html.startswith("[&lt; 5]") and "·" in html.split("][")[1]
    small = partner_report.build([("Energie", partner_report.NOT_YET, 3)], INSIDE)
    assert (small.total, small.total_small) == (None, True)
