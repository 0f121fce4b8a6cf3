from django.core.management.base import BaseCommand, CommandError

from booking.selectors import inventory_disagreements, tally_disagreements


class Command(BaseCommand):
    help = (
        "Check that every inventory night's booked count equals the rooms of the live "
        "bookings covering it, and every hold-cap tally the held bookings counted in "
        "it; list each that disagrees and exit non-zero if any does."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--room-type",
            type=int,
            action="append",
            dest="room_types",
            help="Only check this room type id (repeatable).",
        )

    def handle(self, *args, room_types=None, **options):
        self.stdout.write("Comparing inventory counts with live bookings…")
        problems = inventory_disagreements(room_type_ids=room_types)
        for problem in problems:
            booked = (
                "no inventory row"
                if problem.booked is None
                else f"booked={problem.booked}"
            )
            self.stdout.write(
                f"room type {problem.room_type_id} {problem.date}: {booked}, "
                f"live bookings hold {problem.expected}"
            )
        tallies = [] if room_types else tally_disagreements()
        for tally in tallies:
            self.stdout.write(
                f"hold tally {tally.actor}: holds={tally.holds} "
                f"room_nights={tally.room_nights}, held bookings count "
                f"{tally.expected_holds} holds, {tally.expected_room_nights} room-nights"
            )
        if problems or tallies:
            raise CommandError(
                f"{len(problems)} inventory night(s) and {len(tallies)} hold tally(ies) "
                "disagree with the bookings."
            )
        self.stdout.write(
            self.style.SUCCESS(
                "All inventory counts and hold tallies agree with the bookings."
            )
        )
