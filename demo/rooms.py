"""Demo room types, their base prices, and the numbered rooms of each."""

import random

from core.money import minor_exponent
from demo.loader import Catalogue, CitySpec, HotelSpec, RoomTypeSpec
from demo.rows import upsert
from demo.translations import room_type_columns
from hotels.models import Amenity, Hotel, Room, RoomType


def minor(amount_major: float, currency: str, step: int) -> int:
    """Return `amount_major` rounded to `step` major units, in minor units of `currency`."""
    rounded = max(step, round(amount_major / step) * step)
    return int(rounded) * 10 ** minor_exponent(currency)


def pick_room_types(
    catalogue: Catalogue, spec: HotelSpec, rng: random.Random
) -> list[RoomTypeSpec]:
    """Return the first room type of the hotel's style and one to three others."""
    pool = catalogue.room_types[spec.style]
    if spec.style == "city":
        excluded = {3: {"junior-suite"}, 4: set(), 5: {"standard-double"}}[spec.stars]
        pool = [t for t in pool if t.code not in excluded]
    elif spec.style == "resort" and spec.stars < 4:
        pool = [t for t in pool if t.code != "penthouse-suite"]
    count = rng.randint(2, min(4, len(pool)))
    extra = rng.sample(pool[1:], count - 1)
    return [pool[0], *sorted(extra, key=pool.index)]


def upsert_room_type(
    catalogue: Catalogue,
    hotel: Hotel,
    city: CitySpec,
    spec: HotelSpec,
    rt_spec: RoomTypeSpec,
    rng: random.Random,
    amenities: dict[str, Amenity],
) -> RoomType:
    """Create or update the room type `rt_spec` of `hotel`, its size, rooms and price."""
    rooms = rng.randint(*rt_spec.rooms)
    overbooking = 0
    if rooms >= 10 and rng.random() < 0.5:
        # Below 20 rooms 5% rounds down to nothing, so smaller types allow 10%.
        overbooking = 10 if rooms < 20 else rng.choice((5, 10))
    hotel_base = city.prices[spec.stars] * rng.uniform(0.9, 1.12)
    price = minor(
        hotel_base * rt_spec.price_factor * rng.uniform(0.97, 1.03),
        city.currency,
        city.price_step,
    )
    size = max(12, rt_spec.size_sqm + rng.randint(-2, 4))
    room_type, _ = upsert(
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
            **room_type_columns(rt_spec.code, size),
        },
    )
    codes = sorted({*catalogue.base_room_amenities, *rt_spec.amenities})
    room_type.amenities.set([amenities[code] for code in codes])
    return room_type


def seed_rooms(
    catalogue: Catalogue,
    hotel: Hotel,
    spec: HotelSpec,
    room_types: list[RoomType],
    rng: random.Random,
) -> None:
    """Number rooms by floor, cheapest types lowest: 201, 202, … 301, …"""
    per_floor = {"hanok": 99, "ryokan": 12}.get(spec.style, rng.randint(10, 16))
    floor = 1 if spec.style in ("hanok", "ryokan") else 2
    slot = 1
    existing = set(Room.objects.filter(hotel=hotel).values_list("number", flat=True))
    new_rooms = []
    for room_type in sorted(room_types, key=lambda rt: rt.base_price):
        for _ in range(room_type.room_count):
            if slot > per_floor:
                floor, slot = floor + 1, 1
            number = f"{floor}{slot:02d}"
            feature = rng.choice(catalogue.room_features) if rng.random() < 0.3 else ""
            if number not in existing:
                new_rooms.append(
                    Room(hotel=hotel, room_type=room_type, number=number, floor=floor,
                         features=feature)
                )  # fmt: skip
            slot += 1
    Room.objects.bulk_create(new_rooms)
