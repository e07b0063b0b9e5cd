import re
from urllib.parse import parse_qs, urlparse

from django import template

register = template.Library()

_YOUTUBE_ID = re.compile(r"^[\w-]{11}$")


@register.simple_tag
def embed_src(url: str) -> str:
    """The privacy-friendlier player address for a video link, or "" if unknown.

    YouTube links play from youtube-nocookie.com and Vimeo with do-not-track; other
    hosts are only linked to.
    """
    parsed = urlparse(url)
    host = parsed.netloc.lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host == "youtu.be":
        video_id = parsed.path.strip("/")
    elif host in ("youtube.com", "youtube-nocookie.com"):
        video_id = (
            parse_qs(parsed.query).get("v", [""])[0] or parsed.path.rsplit("/", 1)[-1]
        )
    if video_id and _YOUTUBE_ID.match(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1"
    if host == "vimeo.com" and parsed.path.strip("/").isdigit():
        return (
            f"https://player.vimeo.com/video/{parsed.path.strip('/')}?dnt=1&autoplay=1"
        )
    return ""
