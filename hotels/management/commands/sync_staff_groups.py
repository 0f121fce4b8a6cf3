from django.core.management.base import BaseCommand

from hotels.staff import sync_staff_groups


class Command(BaseCommand):
    help = (
        "Create or update the groups 'Hotel owner', 'Hotel manager' and 'Front desk'."
    )

    def handle(self, *args, **options):
        for name, count in sync_staff_groups().items():
            self.stdout.write(f"{name}: {count} permissions")
