from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy.dormancy import dormancy_apply
from privacy.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise the guest data of stays that ended more than GDPR_RETENTION_YEARS "
        "years ago, then warn and delete dormant guest accounts (the Celery beat task "
        "does this daily), printing progress."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help=f"Keep this many years (default {settings.GDPR_RETENTION_YEARS}).",
        )
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what is due."
        )

    def handle(self, *args, years=None, batch_size=200, dry_run=False, **options):
        if years is not None and years < 1:
            raise CommandError("--years must be at least 1.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")

        def progress(done, total):
            self.stdout.write(f"anonymised {done}/{total} bookings")

        result = retention_apply(
            years=years, batch_size=batch_size, dry_run=dry_run, progress=progress
        )
        self.stdout.write("Dormant guest accounts…")
        dormant = dormancy_apply(dry_run=dry_run)
        accounts = (
            f"dormant accounts: {dormant.warned} warned, {dormant.deleted} deleted "
            f"after their notice, {dormant.withdrawn} notices withdrawn (signed in again)"
        )
        if dry_run:
            self.stdout.write(
                f"{result.bookings} bookings with check-out before {result.cutoff} "
                f"are due; {accounts} (dry run: nothing changed)."
            )
            return
        self.stdout.write(accounts)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {result.bookings} bookings with check-out before "
                f"{result.cutoff} anonymised in {result.batches} batches."
            )
        )
