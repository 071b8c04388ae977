"""The refusal of personal data names what it found in a plain Dutch list (walk 14: it read
"een adres …, een naam …", as if the second part commented on the first)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from maatwerk.core import personal_data


@pytest.mark.parametrize(
    ("words", "expected"),
    [([], ""), (["a"], "a"), (["a", "b"], "a en b"), (["a", "b", "c"], "a, b en c")],
)
def test_words_are_listed_as_a_sentence(words, expected):
    with translation.override("nl"):
        assert personal_data.joined(words) == expected


def test_a_refusal_with_two_kinds_reads_as_one_sentence():
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        personal_data.refuse(
            {"name": "Mevrouw Jansen, Dorpsstraat 12"}, [], "Dit lijkt %(what)s te bevatten."
        )
    message = refused.value.message_dict["name"][0]
    assert " en een " in message and "), een" not in message
