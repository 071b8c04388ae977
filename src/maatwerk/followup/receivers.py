"""followup listens to decisions and plans (which do not know it): an approved plan gets its
follow-up moments in the approving transaction; a plan that ends (closed or withdrawn) has its
scheduled moments cancelled, and its case closes when all its plans are closed. The stored
cohort figures of a plan follow every ledger entry written for it; the cohort stamps follow the
names the cohort page shows (teams, blocking rules)."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Team
from maatwerk.cases.events import case_reopened
from maatwerk.decisions.events import ledger_moved, plan_approved
from maatwerk.decisions.models import LedgerEntry
from maatwerk.legal.models import BlockingRule
from maatwerk.plans.events import plan_ended

from . import services


@receiver(plan_approved, dispatch_uid="followup.schedule_on_approval")
def schedule_on_approval(sender, plan, actor, now=None, **kwargs) -> None:
    services.schedule(actor, plan, now=now)


@receiver(plan_ended, dispatch_uid="followup.on_plan_ended")
def cancel_on_plan_ended(sender, plan, actor, status, **kwargs) -> None:
    services.on_plan_ended(actor, plan, status)


@receiver(case_reopened, dispatch_uid="followup.stop_pilot_light_on_reopen")
def stop_pilot_light_on_reopen(sender, case, actor, **kwargs) -> str | None:
    """A reopened case stops its active waakvlam; the sentence goes to the one who reopened."""
    if services.stop_pilot_light_on_reopen(actor, case) is None:
        return None
    return _("Its pilot light has been stopped: the case is in ordinary work again.")


@receiver(ledger_moved, dispatch_uid="followup.end_of_action_on_payment")
def end_of_action_on_payment(sender, plan, actor, **kwargs) -> None:
    services.on_ledger_moved(actor, plan)


@receiver(post_save, sender=LedgerEntry, dispatch_uid="followup.cohort_figures_on_ledger_entry")
def cohort_figures_on_ledger_entry(sender, instance, created, raw=False, **kwargs) -> None:
    """Every ledger movement (append-only: a new entry) of an approved plan changes what it
    paid or released, also after the plan closed (when `ledger_moved` is not sent): its stored
    cohort figures follow."""
    if created and not raw and instance.plan_id is not None:
        services.refresh_cohort_figures(instance.plan_id)


@receiver(post_save, sender=Team, dispatch_uid="followup.cohort_stamp_on_team")
def cohort_stamp_on_team(sender, instance, raw=False, **kwargs) -> None:
    """The cohort page shows the team's name: a renamed team gets a new cohort stamp."""
    if not raw:
        services.bump_cohort_stamps([instance.pk])


@receiver(post_save, sender=BlockingRule, dispatch_uid="followup.cohort_stamp_on_rule")
def cohort_stamp_on_rule(sender, instance, created, raw=False, **kwargs) -> None:
    """The cohorts per rule show the rule's names: a changed rule renews every team's stamp
    (a new rule counts under no plan yet)."""
    if not created and not raw:
        services.bump_cohort_stamps()


@receiver(post_migrate, dispatch_uid="followup.backfill_cohort_figures")
def backfill_cohort_figures(
    sender, app_config=None, using=DEFAULT_DB_ALIAS, plan=None, **kwargs
) -> None:
    """After `migrate` brought every app up to date (so today's code may read every table):
    a database with approved plans but no stored cohort figures yet (just migrated to
    followup/0006) gets them, as the command `refresh_cohort_figures` would do. One cheap check
    otherwise."""
    if app_config is None or app_config.label != "followup" or plan is None:
        return  # another app, or a flush (tests) rather than `migrate`
    connection = connections[using]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return  # migrated to an earlier state on purpose: the tables may not match the code
    services.backfill_cohort_figures()
