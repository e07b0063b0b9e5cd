"""Removing EXIF, GPS, XMP, IPTC and comments from uploaded image files.

A photo taken on a phone carries where and when it was taken and on which device;
for a prisoner's family that can be enough to find them. Every upload is re-encoded
from its pixels alone, so no metadata block can survive, whatever its format.
"""

import io

from PIL import Image, ImageOps

# Formats Pillow can write back; anything else is refused by Wagtail's image form.
_SAVE_OPTIONS = {
    "JPEG": {"quality": 92, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90},
    "GIF": {},
    "AVIF": {"quality": 80},
}


def strip_metadata(data: bytes) -> tuple[bytes, str]:
    """Return the image re-encoded without metadata, and its format.

    The EXIF orientation is applied to the pixels first, so a photo still stands the
    right way up once the tag that said how to turn it is gone.
    """
    with Image.open(io.BytesIO(data)) as original:
        image_format = original.format or "PNG"
        if image_format == "GIF" and getattr(original, "is_animated", False):
            frames = _animated_frames(original)
            return frames, image_format
        upright = ImageOps.exif_transpose(original)
        pixels = Image.new(upright.mode, upright.size)
        pixels.paste(upright)
        if "transparency" in upright.info and upright.mode in ("P", "L", "RGB"):
            pixels.info["transparency"] = upright.info["transparency"]
        if upright.mode == "P":
            pixels.putpalette(upright.getpalette())
    out = io.BytesIO()
    options = dict(_SAVE_OPTIONS.get(image_format, {}))
    if image_format == "JPEG" and pixels.mode not in ("RGB", "L", "CMYK"):
        pixels = pixels.convert("RGB")
    pixels.save(out, format=image_format, **options)
    return out.getvalue(), image_format


def _animated_frames(original: Image.Image) -> bytes:
    out = io.BytesIO()
    frames = []
    for index in range(original.n_frames):
        original.seek(index)
        frame = original.convert("RGBA")
        frames.append(frame)
    frames[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        loop=original.info.get("loop", 0),
        duration=original.info.get("duration", 100),
    )
    return out.getvalue()
