"""makemessages without fuzzy matching.

By default msgmerge guesses a translation for a new string from a similar old one ("Why" got
"Wie", the Dutch for "Who") and marks it fuzzy; such guesses are easy to miss. Here a new
string starts empty, so the completeness test points at it.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
