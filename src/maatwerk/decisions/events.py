"""What decisions tell the apps above it, without knowing them (layers: decisions imports no
learning-loop app). Receivers run inside the deciding transaction: when one fails, the
decision is not taken either."""

from django.dispatch import Signal

# A plan was approved. Sent with sender=Plan, plan=<Plan>, actor=<User>, now=<aware datetime>.
# followup schedules the plan's follow-up moments on it.
plan_approved = Signal()

# The ledger of an approved plan moved (a payment, a reversal, a release). Sent with
# sender=Plan, plan=<Plan>, actor=<User>. followup takes the last payment date as the end of
# the action while the worker has not marked it.
ledger_moved = Signal()
