"""Demo illustrations: abstract compositions drawn here with Pillow, so the demo has
images without fetching anything from another host and without picturing any person.

Each key always gives the same picture (the drawing is seeded by it), and the Image
made for a key is found again by its tag, so loading demo data twice adds nothing.
"""

import hashlib
import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model

WIDTH, HEIGHT = 1600, 900
TAG_PREFIX = "demo-illustration-"

# The site's palette (see static/css/site.css): ink blues, a warm accent, paper.
PALETTES = [
    ("#12263f", "#1f4e79", "#3f7cac", "#c8553d", "#f3efe6"),
    ("#0f2a3d", "#2b5d7d", "#86a8c2", "#d08c3f", "#f5f1e8"),
    ("#1b2a41", "#324a5f", "#6b8fb0", "#b5523b", "#eae3d2"),
    ("#14303a", "#2e6171", "#8bb0b8", "#c9733c", "#f2ede3"),
    ("#232946", "#3d4f7d", "#8e9cc9", "#c66b3d", "#f4efe7"),
]


def _rng(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))


def _hex(colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    colour = colour.lstrip("#")
    return (*(int(colour[i : i + 2], 16) for i in (0, 2, 4)), alpha)


def _gradient(top: str, bottom: str) -> PILImage.Image:
    """A vertical gradient, drawn small and stretched: smooth and cheap."""
    a, b = _hex(top), _hex(bottom)
    strip = PILImage.new("RGBA", (1, 256))
    for y in range(256):
        t = y / 255
        strip.putpixel((0, y), tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(4)))
    return strip.resize((WIDTH, HEIGHT), PILImage.Resampling.BICUBIC)


def draw_illustration(key: str) -> PILImage.Image:
    """The picture for `key`: a gradient ground, soft discs, a band of stripes and
    one warm accent shape. Deterministic for a key."""
    rng = _rng(key)
    deep, mid, light, warm, paper = rng.choice(PALETTES)
    canvas = _gradient(deep, mid)

    haze = PILImage.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(haze)
    for _ in range(rng.randint(3, 5)):
        r = rng.randint(180, 420)
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        draw.ellipse(
            (x - r, y - r, x + r, y + r), fill=_hex(light, rng.randint(40, 90))
        )
    canvas = PILImage.alpha_composite(canvas, haze.filter(ImageFilter.GaussianBlur(60)))

    shapes = PILImage.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    # Diagonal stripes across a band: an abstract "bars / lines of a letter" motif.
    slope = rng.uniform(-0.35, 0.35)
    start = rng.randint(120, 420)
    for i in range(rng.randint(5, 9)):
        y0 = start + i * rng.randint(38, 60)
        draw.line(
            [(0, y0), (WIDTH, y0 + slope * WIDTH)],
            fill=_hex(paper, rng.randint(40, 110)),
            width=rng.choice((3, 5, 8)),
        )
    # Large outlined rings.
    for _ in range(rng.randint(1, 3)):
        r = rng.randint(120, 320)
        x, y = rng.randint(200, WIDTH - 200), rng.randint(150, HEIGHT - 150)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=_hex(paper, 90), width=4)
    # One warm accent: a disc or a rectangle, never central.
    x = rng.choice((rng.randint(180, 520), rng.randint(1080, 1420)))
    y = rng.randint(200, 700)
    r = rng.randint(90, 170)
    if rng.random() < 0.5:
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_hex(warm, 235))
    else:
        draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=_hex(warm, 235))
    canvas = PILImage.alpha_composite(canvas, shapes)
    return canvas.convert("RGB")


def _png_bytes(picture: PILImage.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def demo_illustration(*, key: str, title: str):
    """The Wagtail Image for `key`, drawn and saved the first time, found by its tag
    afterwards (the title may be changed by an editor without making a second one)."""
    image_model = get_image_model()
    tag = f"{TAG_PREFIX}{key}"[:100]
    existing = image_model.objects.filter(tags__name=tag).first()
    if existing is not None:
        return existing
    data = _png_bytes(draw_illustration(key))
    image = image_model(
        title=title,
        file=ImageFile(io.BytesIO(data), name=f"{key}.png"),
    )
    image.save()
    image.tags.add(tag)
    return image
