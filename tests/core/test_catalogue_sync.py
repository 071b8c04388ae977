"""The catalogue loader's plan (core/catalogue_sync.py): pure, so tested on plain dicts."""

from hypothesis import given
from hypothesis import strategies as st

from maatwerk.core.catalogue_sync import Current, Kind, plan, summary

codes = st.text(alphabet="ABCDEFGH-", min_size=1, max_size=4)
values = st.one_of(st.integers(0, 3), st.sampled_from(["a", "b", ""]))
states = st.fixed_dictionaries({"title": values, "amount": values})
catalogues = st.dictionaries(codes, states, max_size=8)


def test_new_changed_local_and_unchanged_rows():
    files = {
        "NEW": {"title": "nieuw"},
        "SAME": {"title": "gelijk"},
        "FILES": {"title": "nieuwe tekst"},
        "LOCAL": {"title": "nieuwe tekst"},
    }
    current = {
        "SAME": Current({"title": "gelijk"}, from_files=False),
        "FILES": Current({"title": "oude tekst"}, from_files=True),
        "LOCAL": Current({"title": "eigen tekst"}, from_files=False),
        "OWN": Current({"title": "alleen hier"}, from_files=False),
    }
    kinds = {a.code: a.kind for a in plan(files, current)}
    assert kinds == {
        "NEW": Kind.CREATE,
        "SAME": Kind.UNCHANGED,
        "FILES": Kind.UPDATE,
        "LOCAL": Kind.KEEP_LOCAL,
        "OWN": Kind.NOT_IN_FILES,
    }
    update = next(a for a in plan(files, current) if a.code == "FILES")
    assert update.changes == {"title": {"old": "oude tekst", "new": "nieuwe tekst"}}


def test_a_field_the_files_do_not_name_is_no_change():
    current = {"X": Current({"title": "t", "local_extra": 5}, from_files=True)}
    assert [a.kind for a in plan({"X": {"title": "t"}}, current)] == [Kind.UNCHANGED]


@given(files=catalogues, now=catalogues, local=st.sets(codes))
def test_a_local_change_is_never_planned_over(files, now, local):
    current = {c: Current(s, from_files=c not in local) for c, s in now.items()}
    for action in plan(files, current):
        if action.code in local and action.code in now:
            assert action.kind in {Kind.KEEP_LOCAL, Kind.UNCHANGED, Kind.NOT_IN_FILES}


@given(files=catalogues, now=catalogues)
def test_loading_twice_changes_nothing_the_second_time(files, now):
    current = {c: Current(s, from_files=True) for c, s in now.items()}
    after = dict(current)
    for action in plan(files, current):
        if action.kind in {Kind.CREATE, Kind.UPDATE}:
            after[action.code] = Current(dict(action.state), from_files=True)
    second = summary(plan(files, after))
    assert second["create"] == second["update"] == 0
    assert second["unchanged"] == len(files)
    assert sum(summary(plan(files, current)).values()) == len(set(files) | set(now))
