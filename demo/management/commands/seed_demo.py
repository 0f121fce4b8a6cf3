"""`manage.py seed_demo`: demo hotels, rooms, rates, a year of inventory, photos and users.

Deterministic (every hotel draws from its own seeded random) and idempotent: rows are found
by their natural keys and only created or changed when they differ, nights that already
exist keep their prices, and photos whose file exists are not drawn again.
"""

import random
from collections import defaultdict
from datetime import date, time, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_
from time import monotonic
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Cast, Round
from django.utils.text import slugify

from core.clock import db_now
from core.money import minor_exponent
from demo.checks import CatalogueError
from demo.loader import CitySpec, RoomTypeSpec, hotel_catalogue, load_catalogue
from demo.photos import render_photo
from hotels.models import (
    Amenity,
    CancellationPolicy,
    CancellationRule,
    Hotel,
    HotelMembership,
    HotelPhoto,
    Room,
    RoomType,
)
from inventory.models import Inventory, RatePlan
from inventory.services import inventory_open

WEEKEND_FACTOR = 1.2  # Friday and Saturday nights
MICRO = Decimal("0.000001")


def _upsert(model, lookup: dict, values: dict, create_only: dict | None = None):
    """Return the row found by `lookup`, created or brought up to `values`, and whether
    it was created. Only changed fields are saved, so an unchanged row is not written.
    """
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values, **(create_only or {})), True
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
    return row, False


def _minor(amount_major: float, currency: str, step: int) -> int:
    """Return `amount_major` rounded to `step` major units, in minor units of `currency`."""
    rounded = max(step, round(amount_major / step) * step)
    return int(rounded) * 10 ** minor_exponent(currency)


def _night_factors(city: CitySpec, start: date, end: date) -> dict[Decimal, list]:
    """Group the nights [start, end) by their price factor: season × weekend × event."""
    events: dict[date, float] = {}
    for year in range(start.year, end.year + 1):
        for event in city.events:
            first = date(year, event.month, event.day)
            for offset in range(event.nights):
                events[first + timedelta(days=offset)] = event.factor
    groups: dict[Decimal, list] = defaultdict(list)
    night = start
    while night < end:
        factor = city.seasons[night.month - 1] * events.get(night, 1.0)
        if night.weekday() in (4, 5):
            factor *= WEEKEND_FACTOR
        groups[Decimal(str(round(factor, 3)))].append(night)
        night += timedelta(days=1)
    return groups


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
            catalogue = hotel_catalogue()
        except CatalogueError as error:
            raise CommandError(f"The demo catalogue has a mistake: {error}") from error
        if hotels is None:
            hotels = len(catalogue)
        if hotels < 1 or days < 1:
            raise CommandError("--hotels and --days must be at least 1.")
        started = monotonic()
        catalogue = catalogue[:hotels]
        now = db_now()
        amenities = self._seed_amenities()
        seeded = []
        for index, (city, spec) in enumerate(catalogue, start=1):
            with transaction.atomic():
                hotel, room_types, opened, photos = self._seed_hotel(
                    city,
                    spec,
                    amenities,
                    now.astimezone(ZoneInfo(city.time_zone)).date(),
                    days,
                )
            seeded.append(hotel)
            self.stdout.write(
                f"[{index}/{len(catalogue)}] {city.name} – {hotel.name}: "
                f"{room_types} room types, {room_types * days} nights"
                f" ({opened} new nights, {photos} new photos)"
            )
        self._seed_users(seeded)
        self._report(seeded, monotonic() - started)

    # Amenities and users ---------------------------------------------------------------

    def _seed_amenities(self) -> dict[str, Amenity]:
        rows = {}
        for code, name, scope in load_catalogue().amenities:
            rows[code], _ = _upsert(
                Amenity, {"code": code}, {"name": name, "scope": scope}
            )
        return rows

    def _seed_users(self, hotels: list[Hotel]) -> None:
        user_model = get_user_model()
        demo_users = [
            ("admin", "admin@example.com", "admin", {"is_staff": True, "is_superuser": True}),
            ("guest@example.com", "guest@example.com", "guest",
             {"first_name": "Grace", "last_name": "Guest"}),
            ("manager", "manager@example.com", "manager",
             {"is_staff": True, "first_name": "Mina", "last_name": "Park"}),
            ("frontdesk", "frontdesk@example.com", "frontdesk",
             {"is_staff": True, "first_name": "Felix", "last_name": "Desk"}),
        ]  # fmt: skip
        users = {}
        for username, email, password, extra in demo_users:
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model(username=username, email=email, **extra)
                user.set_password(
                    password
                )  # only on creation: a re-run changes nothing
                user.save()
            users[username] = user
        for hotel in hotels[:2]:
            HotelMembership.objects.get_or_create(
                hotel=hotel, user=users["manager"],
                defaults={"role": HotelMembership.Role.MANAGER},
            )  # fmt: skip
        if hotels:
            HotelMembership.objects.get_or_create(
                hotel=hotels[0], user=users["frontdesk"],
                defaults={"role": HotelMembership.Role.FRONT_DESK},
            )  # fmt: skip

    # One hotel ---------------------------------------------------------------------------

    def _seed_hotel(self, city, spec, amenities, today: date, days: int):
        slug = slugify(spec.name)
        rng = random.Random(f"innkeep-demo:{slug}")
        hotel = self._upsert_hotel(city, spec, slug, rng)
        hotel_amenities = {
            *load_catalogue().base_hotel_amenities,
            *load_catalogue().star_hotel_amenities[spec.stars],
            *rng.sample(load_catalogue().optional_hotel_amenities, 2),
            *spec.amenities,
        }
        hotel.amenities.set([amenities[code] for code in sorted(hotel_amenities)])

        policies = self._seed_policies(hotel, spec.stars)
        pay_at_hotel = rng.random() < 0.5
        room_types = []
        for rt_spec in self._pick_room_types(spec, rng):
            room_type = self._upsert_room_type(
                hotel, city, spec, rt_spec, rng, amenities
            )
            self._seed_rate_plans(room_type, spec, policies, pay_at_hotel)
            room_types.append(room_type)
        self._seed_rooms(hotel, spec, room_types, rng)
        opened = self._seed_inventory(
            city, room_types, today, today + timedelta(days=days)
        )
        photos = self._seed_photos(hotel, city, spec, room_types)
        return hotel, len(room_types), opened, photos

    def _upsert_hotel(self, city, spec, slug: str, rng: random.Random) -> Hotel:
        lat, lng = city.areas[spec.area]
        check_in = rng.choice(load_catalogue().check_in_times)
        check_out = rng.choice(load_catalogue().check_out_times)
        values = {
            "name": spec.name,
            "description": spec.tagline,
            "address": spec.address,
            "city": city.name,
            "country": city.country,
            # Within a few hundred metres of the neighbourhood's centre.
            "latitude": Decimal(str(lat + rng.uniform(-0.004, 0.004))).quantize(MICRO),
            "longitude": Decimal(str(lng + rng.uniform(-0.004, 0.004))).quantize(MICRO),
            "time_zone": city.time_zone,
            "currency": city.currency,
            "star_rating": spec.stars,
            "check_in_time": time(*check_in),
            "check_out_time": time(*check_out),
        }
        hotel, _ = _upsert(
            Hotel, {"slug": slug}, values, create_only={"status": Hotel.Status.ACTIVE}
        )
        return hotel

    def _seed_policies(self, hotel: Hotel, stars: int) -> dict[str, CancellationPolicy]:
        specs = {
            "flexible": (
                "Flexible",
                "Full refund if cancelled at least 2 days before arrival, 50% until the day "
                "before; no refund on the day of arrival.",
                [(2, 100), (1, 50)],
            )
        }
        if stars >= 4:
            specs["moderate"] = (
                "Moderate",
                "Full refund if cancelled at least 7 days before arrival, 50% until 3 days "
                "before; no refund after that.",
                [(7, 100), (3, 50)],
            )
        policies = {}
        for key, (name, description, rules) in specs.items():
            policy, _ = _upsert(
                CancellationPolicy,
                {"hotel": hotel, "name": name},
                {"description": description},
            )
            for days_before, percent in rules:
                _upsert(
                    CancellationRule,
                    {"policy": policy, "days_before": days_before},
                    {"refund_percent": percent},
                )
            policies[key] = policy
        return policies

    def _pick_room_types(self, spec, rng: random.Random) -> list[RoomTypeSpec]:
        pool = load_catalogue().room_types[spec.style]
        if spec.style == "city":
            excluded = {3: {"junior-suite"}, 4: set(), 5: {"standard-double"}}[
                spec.stars
            ]
            pool = [t for t in pool if t.code not in excluded]
        elif spec.style == "resort" and spec.stars < 4:
            pool = [t for t in pool if t.code != "penthouse-suite"]
        count = rng.randint(2, min(4, len(pool)))
        extra = rng.sample(pool[1:], count - 1)
        return [pool[0], *sorted(extra, key=pool.index)]

    def _upsert_room_type(self, hotel, city, spec, rt_spec, rng, amenities) -> RoomType:
        rooms = rng.randint(*rt_spec.rooms)
        overbooking = 0
        if rooms >= 10 and rng.random() < 0.5:
            # Below 20 rooms 5% rounds down to nothing, so smaller types allow 10%.
            overbooking = 10 if rooms < 20 else rng.choice((5, 10))
        hotel_base = city.prices[spec.stars] * rng.uniform(0.9, 1.12)
        price = _minor(
            hotel_base * rt_spec.price_factor * rng.uniform(0.97, 1.03),
            city.currency,
            city.price_step,
        )
        size = max(12, rt_spec.size_sqm + rng.randint(-2, 4))
        room_type, _ = _upsert(
            RoomType,
            {"hotel": hotel, "code": rt_spec.code},
            {
                "name": rt_spec.name,
                "description": f"{rt_spec.description} {size} m².",
                "max_occupancy": rt_spec.max_occupancy,
                "bed_type": rt_spec.bed_type,
                "size_sqm": size,
                "room_count": rooms,
                "overbooking_percent": overbooking,
                "base_price": price,
            },
        )
        codes = sorted({*load_catalogue().base_room_amenities, *rt_spec.amenities})
        room_type.amenities.set([amenities[code] for code in codes])
        return room_type

    def _seed_rate_plans(self, room_type, spec, policies, pay_at_hotel: bool) -> None:
        traditional = spec.style in ("hanok", "ryokan")
        meal = (
            RatePlan.MealPlan.BREAKFAST if traditional else RatePlan.MealPlan.ROOM_ONLY
        )
        plans = [
            ("flexible", "Flexible", meal, policies["flexible"], 0,
             RatePlan.PaymentMode.PAY_AT_HOTEL if pay_at_hotel else RatePlan.PaymentMode.PAY_NOW),
            ("non-refundable", "Non-refundable, pay now", meal, None, -1500,
             RatePlan.PaymentMode.PAY_NOW),
        ]  # fmt: skip
        if "moderate" in policies and not traditional:
            plans.append(
                ("bed-and-breakfast", "Bed & breakfast", RatePlan.MealPlan.BREAKFAST,
                 policies["moderate"], 1200, RatePlan.PaymentMode.PAY_NOW)
            )  # fmt: skip
        for code, name, meal_plan, policy, adjustment, payment in plans:
            _upsert(
                RatePlan,
                {"room_type": room_type, "code": code},
                {
                    "name": name,
                    "meal_plan": meal_plan,
                    "cancellation_policy": policy,
                    "price_adjustment_bp": adjustment,
                    "payment_mode": payment,
                },
            )

    def _seed_rooms(self, hotel, spec, room_types, rng: random.Random) -> None:
        """Number rooms by floor, cheapest types lowest: 201, 202, … 301, …"""
        per_floor = {"hanok": 99, "ryokan": 12}.get(spec.style, rng.randint(10, 16))
        floor = 1 if spec.style in ("hanok", "ryokan") else 2
        slot = 1
        existing = set(
            Room.objects.filter(hotel=hotel).values_list("number", flat=True)
        )
        new_rooms = []
        for room_type in sorted(room_types, key=lambda rt: rt.base_price):
            for _ in range(room_type.room_count):
                if slot > per_floor:
                    floor, slot = floor + 1, 1
                number = f"{floor}{slot:02d}"
                feature = (
                    rng.choice(load_catalogue().room_features)
                    if rng.random() < 0.3
                    else ""
                )
                if number not in existing:
                    new_rooms.append(
                        Room(hotel=hotel, room_type=room_type, number=number, floor=floor,
                             features=feature)
                    )  # fmt: skip
                slot += 1
        Room.objects.bulk_create(new_rooms)

    def _seed_inventory(self, city, room_types, start: date, end: date) -> int:
        """Open the nights [start, end) and price the new ones by season, weekday and event.

        Nights that existed before keep their price; return how many nights were opened.
        """
        nights = (end - start).days
        existing = dict(
            Inventory.objects.filter(
                room_type__in=room_types, date__gte=start, date__lt=end
            )
            .values("room_type")
            .annotate(nights=Count("pk"))
            .values_list("room_type", "nights")
        )
        opened = 0
        new_nights = []
        for room_type in room_types:
            if existing.get(room_type.pk, 0) == nights:
                continue
            before = set(
                Inventory.objects.for_stay(room_type.pk, start, end).values_list(
                    "date", flat=True
                )
            )
            opened += inventory_open(room_type=room_type, start=start, end=end)
            new_nights.append(Q(room_type=room_type) & ~Q(date__in=before) if before else
                              Q(room_type=room_type))  # fmt: skip
        if not opened:
            return 0
        step = city.price_step * 10 ** minor_exponent(city.currency)
        factor = Case(
            *[When(date__in=dates, then=Value(f)) for f, dates in _night_factors(
                city, start, end).items()],
            default=Value(Decimal(1)),
            output_field=models.DecimalField(max_digits=6, decimal_places=3),
        )  # fmt: skip
        # New nights still carry the base price inventory_open gave them.
        Inventory.objects.filter(
            reduce(or_, new_nights), date__gte=start, date__lt=end
        ).update(
            price=Cast(Round(F("price") * factor / step) * step, models.IntegerField())
        )
        return opened

    def _seed_photos(self, hotel, city, spec, room_types) -> int:
        existing = {(p.room_type_id, p.position): p for p in hotel.photos.all()}
        subtitle = f"{city.name} · {spec.area}"
        wanted = [
            (None, 0, f"{hotel.name}", "exterior", hotel.name, subtitle),
            (None, 1, "The lobby", "lobby", hotel.name, subtitle),
            (None, 2, f"Around {spec.area}", "view", hotel.name, subtitle),
        ] + [(rt, 0, rt.name, "room", rt.name, hotel.name) for rt in room_types]
        drawn = 0
        for room_type, position, caption, variant, title, sub in wanted:
            photo = existing.get((room_type.pk if room_type else None, position))
            if (
                photo is not None
                and photo.image
                and photo.image.storage.exists(photo.image.name)
            ):
                if photo.caption != caption:
                    photo.caption = caption
                    photo.save(update_fields=["caption"])
                continue
            if photo is None:
                photo = HotelPhoto(hotel=hotel, room_type=room_type, position=position)
            filename = f"{hotel.slug}-{room_type.code if room_type else position}.png"
            target = photo.image.field.generate_filename(photo, filename)
            if photo.image.storage.exists(target):
                # Left over from a wiped database: redraw it rather than save a suffixed copy.
                photo.image.storage.delete(target)
            png = render_photo(
                title=title, subtitle=sub, palette=city.palette,
                seed=f"{hotel.slug}:{variant}:{room_type.code if room_type else position}",
                variant=variant,
            )  # fmt: skip
            photo.caption = caption
            photo.image.save(filename, ContentFile(png), save=False)
            photo.save()
            drawn += 1
        return drawn

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
