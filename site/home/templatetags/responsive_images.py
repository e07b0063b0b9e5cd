"""`{% picture %}`: one image as a `<picture>` with AVIF and WebP sources in several
widths and a JPEG/PNG fallback, all through the `public_image` view (which serves a
rendition only while a live public page shows the image).

No rendition is made while the page renders: the URLs are signed and each size is
drawn on the first request for it, so sizes are computed here from the original's.
"""

from django import template
from django.utils.html import format_html, format_html_join
from wagtail.images.views.serve import generate_image_url

register = template.Library()

DEFAULT_WIDTHS = (480, 800, 1200, 1600)
VIEW_NAME = "public_image"


def _ratio(text: str) -> tuple[int, int] | None:
    if not text:
        return None
    w, _, h = text.replace("x", ":").partition(":")
    return int(w), int(h)


def _sizes_for(image, widths, ratio) -> list[tuple[int, int, str]]:
    """(width, height, filter) for each wanted width the original can give.

    A width larger than the original is left out (Wagtail does not upscale), but
    the original's own width is kept so a small image still gets one source.
    """
    src_w, src_h = image.width, image.height
    if ratio:
        # The largest crop of the original with that ratio.
        crop_w = min(src_w, src_h * ratio[0] // ratio[1])
    else:
        crop_w = src_w
    result = []
    for width in sorted(set(widths)):
        if width > crop_w:
            width = crop_w
        if any(w == width for w, _, _ in result):
            continue
        if ratio:
            height = round(width * ratio[1] / ratio[0])
            spec = f"fill-{width}x{height}"
        else:
            height = round(src_h * width / src_w)
            spec = f"width-{width}"
        result.append((width, height, spec))
    return result


def _fallback_format(image) -> str:
    name = (image.file.name or "").lower()
    return "png" if name.endswith((".png", ".gif")) else "jpeg"


def _srcset(image, sizes, fmt: str) -> str:
    return ", ".join(
        f"{generate_image_url(image, f'{spec}|format-{fmt}', VIEW_NAME)} {w}w"
        for w, _, spec in sizes
    )


@register.simple_tag
def picture(
    image,
    *,
    widths: str = "",
    ratio: str = "",
    sizes: str = "100vw",
    alt: str = "",
    loading: str = "lazy",
    **attrs,
):
    """The `<picture>` for `image`; nothing when there is no image.

    `widths` is a comma-separated list of pixel widths, `ratio` like "16:9" crops
    (around the focal point), `class` and other keyword arguments go on the `<img>`.
    """
    if not image:
        return ""
    wanted = [int(w) for w in widths.split(",") if w.strip()] or DEFAULT_WIDTHS
    candidates = _sizes_for(image, wanted, _ratio(ratio))
    fallback_w, fallback_h, _ = candidates[min(1, len(candidates) - 1)]
    fallback_fmt = _fallback_format(image)
    sources = format_html_join(
        "",
        '<source type="image/{}" srcset="{}" sizes="{}">',
        ((fmt, _srcset(image, candidates, fmt), sizes) for fmt in ("avif", "webp")),
    )
    fallback_spec = next(spec for w, _, spec in candidates if w == fallback_w)
    extra = format_html_join(
        "", ' {}="{}"', ((key.replace("_", "-"), value) for key, value in attrs.items())
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" '
        'alt="{}" loading="{}" decoding="async"{}></picture>',
        sources,
        generate_image_url(image, f"{fallback_spec}|format-{fallback_fmt}", VIEW_NAME),
        _srcset(image, candidates, fallback_fmt),
        sizes,
        fallback_w,
        fallback_h,
        alt,
        loading,
        extra,
    )
