"""What plans tell the apps above it, without knowing them (layers: plans imports no
learning-loop app). Receivers run inside the transaction that changes the plan's status: when
one fails, the change is not made either."""

from django.dispatch import Signal

# A plan ended: it became closed or withdrawn. Sent with sender=Plan, plan=<Plan>,
# actor=<User>, status=<the new status>. followup cancels the plan's scheduled follow-ups on it
# and closes the case when this was its last open plan.
plan_ended = Signal()
