"""The hotel page's photo form stores re-encoded photos and explains a refusal."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backoffice.admin.hotels import PhotoForm
from hotels.models import HotelPhoto

pytestmark = pytest.mark.django_db


def png_with(payload: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 80, 160)).save(out, format="PNG")
    return out.getvalue() + payload


def test_an_svg_with_a_script_is_refused_with_a_readable_error(hotel):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    form = PhotoForm(
        data={"caption": "Lobby", "position": 0},
        files={"image": SimpleUploadedFile("lobby.png", svg, "image/png")},
        instance=HotelPhoto(hotel=hotel),
    )

    assert not form.is_valid()
    assert form.errors["image"]
    assert not HotelPhoto.objects.exists()


def test_a_photo_is_saved_as_its_clean_encoding(hotel, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = PhotoForm(
        data={"caption": "Lobby", "position": 0},
        files={
            "image": SimpleUploadedFile(
                "lobby.png", png_with(b"<script>x</script>"), "image/png"
            )
        },
        instance=HotelPhoto(hotel=hotel),
    )

    assert form.is_valid(), form.errors
    photo = form.save()

    with photo.image.open("rb") as stored_file:
        stored = stored_file.read()
    assert b"<script>" not in stored
    assert Image.open(io.BytesIO(stored)).size == (32, 32)
