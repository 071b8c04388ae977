"""What decisions tell the apps above it, without knowing them (layers: decisions imports no
learning-loop app). Receivers run inside the deciding transaction: when one fails, the
decision is not taken either."""

from django.dispatch import Signal

# A plan was approved. Sent with sender=Plan, plan=<Plan>, actor=<User>, now=<aware datetime>.
# followup schedules the plan's follow-up moments on it.
plan_approved = Signal()
