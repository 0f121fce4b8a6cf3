"""Hotel photos as uploaded by staff: checked by content, bounded, re-encoded clean.

An upload is trusted by nothing it says about itself (name, content type): Pillow
must read it as a JPEG, PNG or WebP of bounded size and pixels, and what is stored is
a fresh encoding of its pixels. That drops metadata (EXIF with GPS, comments) and
anything appended or hidden in the file (an HTML or script polyglot).
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import ErrorCode, ValidationError

# Pillow format → (extension, save options).
FORMATS = {
    "JPEG": ("jpg", {"quality": 88, "optimize": True}),
    "PNG": ("png", {"optimize": True}),
    "WEBP": ("webp", {"quality": 88}),
}


def photo_clean(upload) -> ContentFile:
    """Return the upload's pixels re-encoded in its own format, under a new name.

    Raises ValidationError (not an image we take, too large, too many pixels).
    """

    def refuse(message: str):
        raise ValidationError(ErrorCode.INVALID_REQUEST, message, field="image")

    max_bytes = settings.HOTEL_PHOTO_MAX_BYTES
    max_pixels = settings.HOTEL_PHOTO_MAX_PIXELS
    if upload.size is not None and upload.size > max_bytes:
        refuse(f"A photo is at most {max_bytes // 1_000_000} MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                probe.verify()  # the file's structure, before any pixel is decoded
            upload.seek(0)
            with Image.open(upload) as image:
                if image.format not in FORMATS:
                    refuse("A photo is a JPEG, PNG or WebP image.")
                width, height = image.size
                if width * height > max_pixels:
                    refuse(f"A photo has at most {max_pixels // 1_000_000} megapixels.")
                extension, options = FORMATS[image.format]
                clean = ImageOps.exif_transpose(image)  # keep the orientation, not EXIF
                if image.format == "JPEG" and clean.mode not in ("RGB", "L"):
                    clean = clean.convert("RGB")
                out = io.BytesIO()
                clean.save(out, format=image.format, **options)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        refuse("This file is not an image we can read (JPEG, PNG or WebP).")
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
