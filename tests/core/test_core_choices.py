"""The choice lists several apps use live once, in core; the apps' lists are derived from it."""

from maatwerk.cases.models import OrganisationType
from maatwerk.core import choices
from maatwerk.legal.models import Applier


def test_cases_organisation_type_is_the_core_list():
    assert OrganisationType is choices.OrganisationType


def test_applier_is_a_part_of_the_organisation_types_with_the_same_names_and_labels():
    owner = choices.OrganisationType
    assert set(Applier.values) < set(owner.values)
    for member in Applier:
        assert owner(member.value).name == member.name
        assert str(owner(member.value).label) == str(member.label)
    # What the regelbank, the department routes and the demo data use.
    assert Applier.MUNICIPALITY_BRP == "municipality_brp"
    assert Applier.OTHER.label == choices.OrganisationType.OTHER.label


def test_a_subset_refuses_a_value_its_owner_lacks():
    import pytest

    with pytest.raises(ValueError):
        choices.subset("Broken", choices.OrganisationType, ["municipality", "bakery"])
