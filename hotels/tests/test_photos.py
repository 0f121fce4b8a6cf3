"""Uploaded photos: read by content, bounded, stored as a clean re-encoding."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import ValidationError
from hotels.photos import photo_clean


def encoded(format_="PNG", size=(64, 48), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=format_, **save)
    return out.getvalue()


def upload(data: bytes, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_photo_is_stored_as_a_fresh_encoding_under_a_new_name():
    clean = photo_clean(upload(encoded(), name="../../etc/passwd.png"))

    assert clean.name.endswith(".png") and "/" not in clean.name
    assert Image.open(io.BytesIO(clean.read())).size == (64, 48)


def test_a_polyglot_keeps_its_pixels_and_loses_its_payload():
    payload = b"<html><script>alert(document.cookie)</script></html>"
    polyglot = encoded() + payload  # a valid PNG that is also an HTML page

    clean = photo_clean(upload(polyglot)).read()

    assert payload not in clean and b"<script" not in clean
    assert Image.open(io.BytesIO(clean)).format == "PNG"


def test_metadata_is_stripped():
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    exif[0x013B] = "Ada at home"  # Artist
    photo = encoded("JPEG", exif=exif.tobytes())
    assert b"secret description" in photo

    clean = photo_clean(upload(photo, "p.jpg", "image/jpeg")).read()

    assert b"secret description" not in clean and b"Ada at home" not in clean
    assert not Image.open(io.BytesIO(clean)).getexif()


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"GIF89a" + b"\x00" * 40,  # a broken GIF
        b"<?php system($_GET['c']); ?>",
        encoded("GIF"),  # a real image, but not a format we take
    ],
)
def test_what_is_not_a_jpeg_png_or_webp_is_refused(data):
    with pytest.raises(ValidationError) as refused:
        photo_clean(upload(data, "x.png"))

    assert refused.value.params["field"] == "image"


def test_an_oversized_file_is_refused(settings):
    settings.HOTEL_PHOTO_MAX_BYTES = 1_000

    with pytest.raises(ValidationError, match="at most"):
        photo_clean(upload(encoded(size=(400, 400)) + b"\x00" * 2_000))


def test_too_many_pixels_are_refused_before_decoding(settings):
    settings.HOTEL_PHOTO_MAX_PIXELS = 1_000_000
    huge = encoded(size=(2_000, 1_000))  # 2 megapixels, a small file (flat colour)

    with pytest.raises(ValidationError, match="megapixels"):
        photo_clean(upload(huge))
