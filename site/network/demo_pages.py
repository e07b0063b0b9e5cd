"""The network page under each language's home page, for demo data and new sites."""

from home.demo import load_section
from home.models import HomePage

from .pages import NetworkIndexPage

CONTENT = {
    "uk": (
        "Мережа",
        "Організації, що разом захищають політичних в'язнів: документують справи, "
        "захищають у суді, супроводжують родини і тих, хто шукає притулку.",
    ),
    "en": (
        "The network",
        "The organisations that defend political prisoners together: they document "
        "cases, defend them in court, and stand by families and people seeking "
        "asylum.",
    ),
    "ru": (
        "Сеть",
        "Организации, которые вместе защищают политических заключённых: "
        "документируют дела, защищают в суде, поддерживают семьи и тех, кто ищет "
        "убежища.",
    ),
    "be": (
        "Сетка",
        "Арганізацыі, якія разам абараняюць палітычных вязняў: дакументуюць справы, "
        "абараняюць у судзе, падтрымліваюць сем'і і тых, хто шукае прытулку.",
    ),
    "crh": (
        "Şebeke",
        "Siyasiy mahbuslarnı beraber qorçalağan teşkilâtlar: işlerni vesiqalaylar, "
        "mahkemede qorçalaylar, aileler ve sığınaq qıdırğanlarnıñ yanında turalar.",
    ),
}


def ensure_network_pages(homes: dict[str, HomePage]) -> dict[str, NetworkIndexPage]:
    """The network page (slug "network") under each home page, the other languages'
    ones translations of the uk one; left as it is when it exists."""
    return load_section(NetworkIndexPage, homes, slug="network", content=CONTENT)
