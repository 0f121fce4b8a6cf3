"""`manage.py seed_demo`: demo hotels, rooms, rates, a year of inventory, photos and users.

Deterministic (every hotel draws from its own seeded random) and idempotent: rows are found
by their natural keys and only created or changed when they differ, nights that already
exist keep their prices, and photos whose file exists are not drawn again.
"""

import random
from datetime import date, timedelta
from time import monotonic
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from core.clock import db_now
from demo.checks import CatalogueError
from demo.exchange import seed_exchange_rates
from demo.hotels import (
    seed_amenities,
    seed_hotel_amenities,
    seed_policies,
    upsert_hotel,
)
from demo.loader import Catalogue, CitySpec, HotelSpec, hotel_catalogue, load_catalogue
from demo.photos import seed_photos
from demo.rates import seed_inventory, seed_rate_plans
from demo.rooms import pick_room_types, seed_rooms, upsert_room_type
from demo.users import seed_users
from hotels.models import Amenity, Hotel, HotelPhoto, Room, RoomType
from inventory.models import Inventory, RatePlan


class Command(BaseCommand):
    help = "Create demo hotels, room types, rates, inventory, photos and users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hotels", type=int, default=None,
            help="How many demo hotels to create (cities are interleaved).",
        )  # fmt: skip
        parser.add_argument(
            "--days", type=int, default=365, help="Nights of inventory from today."
        )

    def handle(self, *args, hotels: int | None, days: int, **options):
        try:
            catalogue = load_catalogue()
        except CatalogueError as error:
            raise CommandError(f"The demo catalogue has a mistake: {error}") from error
        entries = hotel_catalogue()
        if hotels is None:
            hotels = len(entries)
        if hotels < 1 or days < 1:
            raise CommandError("--hotels and --days must be at least 1.")
        started = monotonic()
        entries = entries[:hotels]
        now = db_now()
        amenities = seed_amenities(catalogue)
        seeded = []
        for index, (city, spec) in enumerate(entries, start=1):
            with transaction.atomic():
                hotel, room_types, opened, photos = self._seed_hotel(
                    catalogue,
                    city,
                    spec,
                    amenities,
                    now.astimezone(ZoneInfo(city.time_zone)).date(),
                    days,
                )
            seeded.append(hotel)
            self.stdout.write(
                f"[{index}/{len(entries)}] {city.name} – {hotel.name}: "
                f"{room_types} room types, {room_types * days} nights"
                f" ({opened} new nights, {photos} new photos)"
            )
        seed_users(seeded)
        seed_exchange_rates()
        self._report(seeded, monotonic() - started)

    def _seed_hotel(
        self,
        catalogue: Catalogue,
        city: CitySpec,
        spec: HotelSpec,
        amenities: dict[str, Amenity],
        today: date,
        days: int,
    ) -> tuple[Hotel, int, int, int]:
        # The order of the draws from `rng` fixes every price and room: keep it.
        slug = slugify(spec.name)
        rng = random.Random(f"innkeep-demo:{slug}")
        hotel = upsert_hotel(catalogue, city, spec, slug, rng)
        seed_hotel_amenities(catalogue, hotel, spec, rng, amenities)

        policies = seed_policies(hotel, spec.stars)
        pay_at_hotel = rng.random() < 0.5
        room_types = []
        for rt_spec in pick_room_types(catalogue, spec, rng):
            room_type = upsert_room_type(
                catalogue, hotel, city, spec, rt_spec, rng, amenities
            )
            seed_rate_plans(room_type, spec, policies, pay_at_hotel)
            room_types.append(room_type)
        seed_rooms(catalogue, hotel, spec, room_types, rng)
        opened = seed_inventory(city, room_types, today, today + timedelta(days=days))
        photos = seed_photos(hotel, city, spec, room_types)
        return hotel, len(room_types), opened, photos

    def _report(self, hotels: list[Hotel], seconds: float) -> None:
        room_types = RoomType.objects.filter(hotel__in=hotels)
        counts = {
            "hotels": len(hotels),
            "cities": len({hotel.city for hotel in hotels}),
            "room types": room_types.count(),
            "rooms": Room.objects.filter(hotel__in=hotels).count(),
            "rate plans": RatePlan.objects.filter(room_type__in=room_types).count(),
            "inventory nights": Inventory.objects.filter(
                room_type__in=room_types
            ).count(),
            "photos": HotelPhoto.objects.filter(hotel__in=hotels).count(),
        }
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {seconds:.1f} s: {summary}.")
        )
        self.stdout.write(
            "Log in as admin/admin, guest@example.com/guest, manager/manager or "
            "frontdesk/frontdesk."
        )
