"""Share cards (the Open Graph image of a page), drawn on our own server with Pillow.

A card shows the site's name, the page's title and a colour band, and never a
photograph: a profile's photo may lack consent or sit in a hidden group, and a card
is copied by every platform it is shared to, out of our reach once it is there.
Only live, unrestricted pages get one, so a draft's title never leaves the admin.
"""

import hashlib
import io
from pathlib import Path

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from PIL import Image, ImageDraw, ImageFont
from wagtail.models import Page

WIDTH, HEIGHT = 1200, 630
FONTS = Path(__file__).parent / "fonts"
# The palette of static/css/site.css.
BRAND = "#1d3a5c"
BRAND_DARK = "#12263f"
ACCENT = "#c8653f"
PAPER = "#ffffff"
SOFT = "#c9d6e4"
CACHE_SECONDS = 60 * 60 * 24


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    # DejaVu is kept in the repository: it covers Cyrillic and Crimean Tatar Latin,
    # and the server draws the same card whatever fonts its system has.
    return ImageFont.truetype(str(FONTS / name), size)


def _wrap(draw, text: str, font, max_width: int, max_lines: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= max_width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(last + "…", font=font) > max_width:
            last = last[:-1].rstrip()
        lines[-1] = last + "…"
    return lines


def draw_share_card(*, title: str, site_name: str, label: str = "") -> bytes:
    """The PNG of a card: brand-blue ground, a warm band on the left, the site's
    name and mark at the top, the title large, and an optional label (page kind)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, HEIGHT - 210, WIDTH, HEIGHT), fill=BRAND_DARK)
    draw.rectangle((0, 0, 24, HEIGHT), fill=ACCENT)
    # The mark: two linked rings, as in the favicon.
    for cx, colour in ((104, PAPER), (140, ACCENT)):
        draw.ellipse((cx - 34, 66, cx + 34, 134), outline=colour, width=10)
    draw.text(
        (200, 100), site_name, font=_font("DejaVuSans.ttf", 38), fill=PAPER, anchor="lm"
    )

    size, lines = 72, []
    for size in (72, 64, 56, 48):
        font = _font("DejaVuSerif-Bold.ttf", size)
        lines = _wrap(draw, title, font, WIDTH - 160, 4)
        if len(lines) <= 3:
            break
    y = 190
    for line in lines:
        draw.text((80, y), line, font=font, fill=PAPER)
        y += round(size * 1.22)
    if label:
        draw.text(
            (80, HEIGHT - 70),
            label,
            font=_font("DejaVuSans.ttf", 30),
            fill=SOFT,
            anchor="ls",
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _label(page) -> str:
    verbose = getattr(page._meta, "verbose_name", "")
    return str(verbose).capitalize() if verbose and page.depth > 2 else ""


def _site_name(request) -> str:
    from home.models import SiteSettings

    return SiteSettings.for_request(request).organisation_name or "Solidarity"


@require_GET
def share_card(request, page_id: int):
    """The card of a live, public page; 404 for anything else (drafts, private
    pages, pages that do not exist), indistinguishably."""
    page = Page.objects.live().public().filter(pk=page_id).specific().first()
    if page is None or page.depth < 2:
        raise Http404
    title = getattr(page, "seo_title", "") or page.title
    site_name = _site_name(request)
    label = _label(page)
    key = (
        "share-card:"
        + hashlib.sha256(f"{page.pk}|{title}|{site_name}|{label}".encode()).hexdigest()
    )
    data = cache.get(key)
    if data is None:
        data = draw_share_card(title=title, site_name=site_name, label=label)
        cache.set(key, data, CACHE_SECONDS)
    response = HttpResponse(data, content_type="image/png")
    # Short: a page that is unpublished must stop giving out its card soon.
    patch_cache_control(response, public=True, max_age=600)
    return response
