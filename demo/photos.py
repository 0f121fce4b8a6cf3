"""Demo hotel photos: placeholder PNGs drawn with Pillow, saved as HotelPhoto rows."""

import io
import random
from functools import cache

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont, ImageOps

from demo.loader import CitySpec, HotelSpec
from hotels.models import Hotel, HotelPhoto, RoomType

WIDTH, HEIGHT = 960, 640


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    # Pillow's bundled font: the same on every machine, no system font needed.
    return ImageFont.load_default(size=size)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _shade(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    """Return `colour` darkened (factor < 1) or lightened towards white (factor > 1)."""
    if factor <= 1:
        return tuple(int(c * factor) for c in colour)
    return tuple(int(c + (255 - c) * (factor - 1)) for c in colour)


def _gradient(top: tuple, bottom: tuple, direction: str) -> Image.Image:
    vertical = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    horizontal = Image.linear_gradient("L").rotate(90).resize((WIDTH, HEIGHT))
    masks = {
        "down": vertical,
        "up": ImageOps.invert(vertical),
        "diagonal": Image.blend(vertical, horizontal, 0.5),
        "anti-diagonal": Image.blend(vertical, ImageOps.invert(horizontal), 0.5),
    }
    bottom_layer = Image.new("RGB", (WIDTH, HEIGHT), bottom)
    return Image.composite(
        bottom_layer, Image.new("RGB", (WIDTH, HEIGHT), top), masks[direction]
    )


def _initials(name: str) -> str:
    words = [
        w for w in name.replace("&", " ").split() if w[:1].isupper() and w != "The"
    ]
    return "".join(w[0] for w in words[:2]) or name[:1].upper()


def _centred_text(draw, y: int, text: str, size: int, fill) -> None:
    font = _font(size)
    while size > 14 and draw.textlength(text, font=font) > WIDTH - 80:
        size -= 2
        font = _font(size)
    draw.text((WIDTH / 2, y), text, font=font, fill=fill, anchor="mm")


def _skyline(draw, rng: random.Random, base: tuple, layers: int = 2) -> None:
    for layer in range(layers):
        colour = (*_shade(base, 0.55 - 0.2 * layer), 150 + 60 * layer)
        x = -20
        while x < WIDTH:
            width = rng.randint(50, 120)
            height = rng.randint(120, 300) - 60 * layer
            draw.rectangle((x, HEIGHT - height, x + width, HEIGHT), fill=colour)
            if layer == layers - 1:
                for wy in range(HEIGHT - height + 16, HEIGHT - 20, 26):
                    for wx in range(x + 10, x + width - 14, 22):
                        if rng.random() < 0.45:
                            draw.rectangle(
                                (wx, wy, wx + 9, wy + 12), fill=(255, 236, 170, 160)
                            )
            x += width + rng.randint(4, 24)


def _bed(draw, base: tuple) -> None:
    frame = (*_shade(base, 0.45), 255)
    linen = (248, 246, 240, 255)
    draw.rounded_rectangle((250, 250, 710, 360), radius=18, fill=frame)  # headboard
    draw.rounded_rectangle((230, 340, 730, 500), radius=22, fill=linen)  # mattress
    draw.rectangle((230, 420, 730, 500), fill=(*_shade(base, 1.5), 255))  # blanket
    draw.rounded_rectangle((280, 300, 460, 370), radius=20, fill=(255, 255, 255, 255))
    draw.rounded_rectangle((500, 300, 680, 370), radius=20, fill=(255, 255, 255, 255))
    draw.rectangle((250, 500, 270, 540), fill=frame)
    draw.rectangle((690, 500, 710, 540), fill=frame)


def render_photo(*, title: str, subtitle: str, palette: tuple[str, str], seed: str,
                 variant: str = "exterior") -> bytes:  # fmt: skip
    """Return a PNG: a gradient, an illustration for `variant` and the title in a badge.

    `variant` is "exterior", "lobby", "view" or "room". The same arguments give the same bytes.
    """
    rng = random.Random(seed)
    first, second = _rgb(palette[0]), _rgb(palette[1])
    tint = rng.uniform(0.85, 1.15)
    top, bottom = _shade(first, min(tint, 1.0)), _shade(second, max(tint, 1.0))
    directions = {
        "exterior": "down",
        "lobby": "diagonal",
        "view": "up",
        "room": "anti-diagonal",
    }
    image = _gradient(top, bottom, directions[variant]).convert("RGBA")
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)

    if variant == "exterior":
        sun_x = rng.randint(140, WIDTH - 140)
        draw.ellipse((sun_x - 70, 90, sun_x + 70, 230), fill=(255, 244, 214, 120))
        _skyline(draw, rng, first)
    elif variant == "lobby":
        for index in range(5):
            x = 60 + index * 180
            draw.rounded_rectangle((x, 150, x + 120, HEIGHT), radius=60,
                                   fill=(255, 255, 255, 40 + 12 * index))  # fmt: skip
        draw.rectangle((0, HEIGHT - 90, WIDTH, HEIGHT), fill=(*_shade(first, 0.4), 200))
    elif variant == "view":
        for index in range(6):
            y = 360 + index * 45
            draw.ellipse((-200 - 60 * index, y, WIDTH + 200 + 40 * index, y + 220),
                         fill=(*_shade(second, 0.9 - 0.1 * index), 120))  # fmt: skip
    else:
        _bed(draw, first)

    badge_y = 120 if variant == "room" else 300
    draw.ellipse((WIDTH / 2 - 64, badge_y - 64, WIDTH / 2 + 64, badge_y + 64),
                 fill=(255, 255, 255, 215))  # fmt: skip
    draw.text((WIDTH / 2, badge_y), _initials(title), font=_font(56),
              fill=(*_shade(first, 0.6), 255), anchor="mm")  # fmt: skip
    draw.rectangle((0, HEIGHT - 120, WIDTH, HEIGHT), fill=(0, 0, 0, 120))
    _centred_text(draw, HEIGHT - 78, title, 40, (255, 255, 255, 255))
    _centred_text(draw, HEIGHT - 36, subtitle, 24, (235, 235, 235, 255))

    image = Image.alpha_composite(image, overlay).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def seed_photos(
    hotel: Hotel, city: CitySpec, spec: HotelSpec, room_types: list[RoomType]
) -> int:
    """Draw the hotel's three photos and one per room type; return how many were drawn.

    A photo whose file exists is kept (its caption brought up to date), so a re-run
    draws nothing.
    """
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
