"""What cases tell the apps above it, without knowing them (layers: cases imports no
learning-loop app). Receivers run inside the transaction that changes the case."""

from django.dispatch import Signal

# A closed case was opened again. Sent with sender=Case, case=<Case>, actor=<User>. A receiver
# may answer with a sentence for the person who reopened it (or None): followup stops the
# case's active waakvlam (pilot light) and says so.
case_reopened = Signal()
