"""Demo content for the register of political prisoners: regions, criminal articles,
places of detention and 35 profiles in Ukrainian, English and Russian (the tables),
and Belarusian and Crimean Tatar (demo_be.json, demo_crh.json; see
home.demo_languages).

Every person here is INVENTED. Names, dates, places, addresses and stories are
fictional (addresses use streets such as "ул. Вымышленная", "Fictional Street");
they show the shapes real cases take, not real people. Every profile has
`is_fictional=True`, so the site marks it as a demonstration.

`load_prisoners()` is idempotent: snippets are found by slug (places by a fixed
translation key), pages by slug under their parent, translations through their
translation key. What already exists is left as it is.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from home.demo import load_section
from home.demo_languages import demo_text
from home.models import HomePage
from prisoners import choices
from prisoners.models import (
    AlternativeName,
    CriminalArticle,
    DetentionPlace,
    PaceCriterionEvidence,
    PrisonerIndexPage,
    PrisonerPage,
    Region,
    TimelineEvent,
)
from prisoners.visibility import encode_hidden

from .demo_be_crh import added

T = tuple[str, str, str]  # the same text in uk, en, ru

S = choices.Status
A = choices.ProsecutingAuthority
R = choices.SentenceRegime
L = choices.LetterLanguage
G = choices.ConsentGiver
N = choices.InterpolNotice
C = choices.CcfComplaint
X = choices.ExtraditionStatus
Y = choices.AsylumStatus
K = choices.TimelineEventKind

# Detention places have no slug: their translation key is derived from a fixed name.
_NAMESPACE = uuid.UUID("5b1c6c1e-4f0a-4a52-9d7e-0c9a1e3f7d21")


def _place_key(key: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"detention-place:{key}")


# --- Snippets ----------------------------------------------------------------------

REGIONS: dict[str, T] = {
    "crimea": ("Крим", "Crimea", "Крым"),
    "donetsk": ("Донецька область", "Donetsk region", "Донецкая область"),
    "luhansk": ("Луганська область", "Luhansk region", "Луганская область"),
    "zaporizhzhia": (
        "Запорізька область",
        "Zaporizhzhia region",
        "Запорожская область",
    ),
    "kherson": ("Херсонська область", "Kherson region", "Херсонская область"),
    "kharkiv": ("Харківська область", "Kharkiv region", "Харьковская область"),
    "kyiv": ("Київ", "Kyiv", "Киев"),
    "russia": ("Росія", "Russia", "Россия"),
    "belarus": ("Білорусь", "Belarus", "Беларусь"),
    "abroad": ("За кордоном (ЄС)", "Abroad (EU)", "За рубежом (ЕС)"),
}

# slug: (code, article number, title in uk, en, ru)
ARTICLES: dict[str, tuple[str, str, T]] = {
    "russia-205-2": (
        A.RUSSIA,
        "205.2",
        (
            "Публічні заклики до терористичної діяльності або її виправдання",
            "Public calls for terrorism or its justification",
            "Публичные призывы к осуществлению террористической деятельности или её оправдание",
        ),
    ),
    "russia-205-5": (
        A.RUSSIA,
        "205.5",
        (
            "Організація діяльності терористичної організації та участь у ній",
            "Organising or taking part in the activity of a terrorist organisation",
            "Организация деятельности террористической организации и участие в ней",
        ),
    ),
    "russia-207-3": (
        A.RUSSIA,
        "207.3",
        (
            "Поширення завідомо неправдивої інформації про збройні сили РФ («фейки»)",
            "Spreading knowingly false information about the Russian armed forces (“fakes”)",
            "Публичное распространение заведомо ложной информации о Вооружённых силах РФ («фейки»)",
        ),
    ),
    "russia-222-1": (
        A.RUSSIA,
        "222.1",
        (
            "Незаконне придбання, зберігання чи перевезення вибухових речовин",
            "Illegal acquisition, storage or transport of explosives",
            "Незаконные приобретение, хранение или перевозка взрывчатых веществ",
        ),
    ),
    "russia-275": (
        A.RUSSIA,
        "275",
        ("Державна зрада", "High treason", "Государственная измена"),
    ),
    "russia-276": (A.RUSSIA, "276", ("Шпигунство", "Espionage", "Шпионаж")),
    "russia-278": (
        A.RUSSIA,
        "278",
        (
            "Насильницьке захоплення влади",
            "Violent seizure of power",
            "Насильственный захват власти",
        ),
    ),
    "russia-280-1": (
        A.RUSSIA,
        "280.1",
        (
            "Публічні заклики до порушення територіальної цілісності РФ",
            "Public calls to violate the territorial integrity of the Russian Federation",
            "Публичные призывы к нарушению территориальной целостности РФ",
        ),
    ),
    "russia-280-3": (
        A.RUSSIA,
        "280.3",
        (
            "Дискредитація збройних сил РФ",
            "Discrediting the Russian armed forces",
            "Дискредитация Вооружённых сил РФ",
        ),
    ),
    "russia-281": (A.RUSSIA, "281", ("Диверсія", "Sabotage", "Диверсия")),
    "russia-282-2": (
        A.RUSSIA,
        "282.2",
        (
            "Організація діяльності екстремістської організації або участь у ній",
            "Organising or taking part in an extremist organisation",
            "Организация деятельности экстремистской организации или участие в ней",
        ),
    ),
    "russia-322": (
        A.RUSSIA,
        "322",
        (
            "Незаконний перетин державного кордону РФ",
            "Illegal crossing of the Russian state border",
            "Незаконное пересечение государственной границы РФ",
        ),
    ),
    "occupation-dpr-321": (
        A.OCCUPATION,
        "321",
        (
            "Шпигунство (кримінальний кодекс так званої «ДНР»)",
            "Espionage (criminal code of the so-called “DPR”)",
            "Шпионаж (уголовный кодекс так называемой «ДНР»)",
        ),
    ),
    "belarus-130": (
        A.BELARUS,
        "130",
        ("Розпалювання ворожнечі", "Incitement to hatred", "Разжигание вражды"),
    ),
    "belarus-342": (
        A.BELARUS,
        "342",
        (
            "Організація дій, що грубо порушують громадський порядок, або активна участь у них",
            "Organising, or actively taking part in, actions grossly violating public order",
            "Организация действий, грубо нарушающих общественный порядок, либо активное участие в них",
        ),
    ),
    "belarus-361-1": (
        A.BELARUS,
        "361-1",
        (
            "Створення екстремістського формування або участь у ньому",
            "Creating or taking part in an extremist formation",
            "Создание экстремистского формирования либо участие в нём",
        ),
    ),
}

# key: (region, name in uk, en, ru, postal address as written on the envelope)
PLACES: dict[str, tuple[str | None, T, str]] = {
    "sizo-simferopol": (
        "crimea",
        ("СІЗО-2 Сімферополь", "SIZO-2 Simferopol", "СИЗО-2 Симферополь"),
        "295000, г. Симферополь, ул. Вымышленная, д. 1, ФКУ СИЗО-2",
    ),
    "sizo-rostov": (
        "russia",
        ("СІЗО-1 Ростов-на-Дону", "SIZO-1 Rostov-on-Don", "СИЗО-1 Ростов-на-Дону"),
        "344000, г. Ростов-на-Дону, ул. Примерная, д. 5, ФКУ СИЗО-1",
    ),
    "sizo-kursk": (
        "russia",
        ("СІЗО-1 Курськ", "SIZO-1 Kursk", "СИЗО-1 Курск"),
        "305000, г. Курск, ул. Условная, д. 7, ФКУ СИЗО-1",
    ),
    "sizo-donetsk": (
        "donetsk",
        (
            "СІЗО, Донецьк (окупований)",
            "Pre-trial detention centre, Donetsk (occupied)",
            "СИЗО, Донецк (оккупированный)",
        ),
        "283000, г. Донецк, ул. Примерная, д. 3, СИЗО",
    ),
    "colony-rostov": (
        "russia",
        (
            "Виправна колонія № 31, Ростовська область",
            "Penal colony No. 31, Rostov region",
            "Исправительная колония № 31, Ростовская область",
        ),
        "346000, Ростовская обл., пос. Условный, ул. Лагерная, д. 31, ФКУ ИК-31",
    ),
    "colony-mordovia": (
        "russia",
        (
            "Виправна колонія № 27, Мордовія",
            "Penal colony No. 27, Mordovia",
            "Исправительная колония № 27, Мордовия",
        ),
        "431000, Республика Мордовия, пос. Вымышленный, ФКУ ИК-27",
    ),
    "colony-women": (
        "russia",
        (
            "Жіноча виправна колонія № 23, Мордовія",
            "Women's penal colony No. 23, Mordovia",
            "Женская исправительная колония № 23, Мордовия",
        ),
        "431100, Республика Мордовия, пос. Примерный, ФКУ ИК-23",
    ),
    "prison-vladimir": (
        "russia",
        (
            "В'язниця № 4, Владимирська область",
            "Prison No. 4, Vladimir region",
            "Тюрьма № 4, Владимирская область",
        ),
        "600000, Владимирская обл., г. Условный, ул. Вымышленная, д. 4, ФКУ Т-4",
    ),
    "colony-homel": (
        "belarus",
        (
            "Виправна колонія № 19, Гомельська область",
            "Penal colony No. 19, Homel region",
            "Исправительная колония № 19, Гомельская область",
        ),
        "246000, Гомельская обл., г. Гомель, ул. Примерная, д. 19, ИК-19",
    ),
    "sizo-almaty": (
        None,
        (
            "Слідчий ізолятор, Алмати",
            "Pre-trial detention centre, Almaty",
            "Следственный изолятор, Алматы",
        ),
        "050000, г. Алматы, ул. Вымышленная, д. 2, СИЗО",
    ),
}

# --- Pages -------------------------------------------------------------------------

INDEX: dict[str, tuple[str, str]] = {
    "uk": (
        "Політв'язні",
        "Люди, яких захищає мережа: ув'язнені Росією та окупаційною «владою», і ті, "
        "кого переслідують за кордоном. Усі профілі на цьому демонстраційному сайті "
        "вигадані.",
    ),
    "en": (
        "Political prisoners",
        "People the network defends: those held by Russia and the occupation "
        "“authorities”, and those hunted abroad. Every profile on this demonstration "
        "site is fictional.",
    ),
    "ru": (
        "Политзаключённые",
        "Люди, которых защищает сеть: удерживаемые Россией и оккупационными "
        "«властями», а также преследуемые за рубежом. Все профили на этом "
        "демонстрационном сайте вымышлены.",
    ),
    "be": (
        "Палітвязні",
        "Людзі, якіх абараняе сетка: зняволеныя Расіяй і акупацыйнымі «ўладамі», а "
        "таксама тыя, каго пераследуюць за мяжой. Усе профілі на гэтым "
        "дэманстрацыйным сайце выдуманыя.",
    ),
    "crh": (
        "Siyasiy mahbuslar",
        "Şebeke qorçalağan insanlar: Rusiye ve işğal «akimiyeti» apiste tutqanlar, ve "
        "hariçte taqip etilgenler. Bu numayış saytındaki bütün profiller uydurılğan.",
    ),
}

OCCUPATIONS: dict[str, T] = {
    "history-teacher": ("вчитель історії", "history teacher", "учитель истории"),
    "teacher-f": ("вчителька", "teacher", "учительница"),
    "crh-teacher": (
        "вчитель кримськотатарської мови",
        "Crimean Tatar language teacher",
        "учитель крымскотатарского языка",
    ),
    "journalist": ("журналіст", "journalist", "журналист"),
    "journalist-f": ("журналістка", "journalist", "журналистка"),
    "citizen-journalist": (
        "громадянський журналіст",
        "citizen journalist",
        "гражданский журналист",
    ),
    "imam": ("імам", "imam", "имам"),
    "priest": (
        "священник Православної церкви України",
        "priest of the Orthodox Church of Ukraine",
        "священник Православной церкви Украины",
    ),
    "activist": ("громадський активіст", "civic activist", "гражданский активист"),
    "activist-f": ("громадська активістка", "civic activist", "гражданская активистка"),
    "volunteer": ("волонтер", "volunteer", "волонтёр"),
    "volunteer-f": ("волонтерка", "volunteer", "волонтёр"),
    "farmer": ("фермер", "farmer", "фермер"),
    "builder": ("будівельник", "builder", "строитель"),
    "lawyer": ("адвокат", "lawyer", "адвокат"),
    "doctor-f": ("лікарка", "doctor", "врач"),
    "nurse": ("медсестра", "nurse", "медсестра"),
    "student": ("студент", "student", "студент"),
    "student-f": ("студентка", "student", "студентка"),
    "programmer": ("програміст", "software developer", "программист"),
    "mining-engineer": ("гірничий інженер", "mining engineer", "горный инженер"),
    "engineer-f": ("інженерка", "engineer", "инженер"),
    "electrician": ("електрик", "electrician", "электрик"),
    "driver": ("водій", "driver", "водитель"),
    "pensioner-f": (
        "пенсіонерка, колишня бухгалтерка",
        "pensioner, former accountant",
        "пенсионерка, бывший бухгалтер",
    ),
    "village-head-f": ("сільська голова", "village head", "сельский голова"),
    "singer-f": ("співачка", "singer", "певица"),
    "musician": ("музикант", "musician", "музыкант"),
    "barista": ("бариста", "barista", "бариста"),
    "photographer": ("фотограф", "photographer", "фотограф"),
}

COURTS: dict[str, T] = {
    "south-military": (
        "Південний окружний військовий суд, Ростов-на-Дону",
        "Southern District Military Court, Rostov-on-Don",
        "Южный окружной военный суд, Ростов-на-Дону",
    ),
    "simferopol-district": (
        "Київський районний суд Сімферополя (окупаційний)",
        "Kyivskyi District Court of Simferopol (occupation court)",
        "Киевский районный суд Симферополя (оккупационный)",
    ),
    "dpr-supreme": (
        "так званий «Верховний суд ДНР», Донецьк",
        "so-called “Supreme Court of the DPR”, Donetsk",
        "так называемый «Верховный суд ДНР», Донецк",
    ),
    "lpr-supreme": (
        "так званий «Верховний суд ЛНР», Луганськ",
        "so-called “Supreme Court of the LPR”, Luhansk",
        "так называемый «Верховный суд ЛНР», Луганск",
    ),
    "rostov-regional": (
        "Ростовський обласний суд",
        "Rostov Regional Court",
        "Ростовский областной суд",
    ),
    "kherson-occupied": (
        "окупаційний «Херсонський обласний суд», Генічеськ",
        "occupation “Kherson Regional Court”, Henichesk",
        "оккупационный «Херсонский областной суд», Геническ",
    ),
    "zaporizhzhia-occupied": (
        "окупаційний «Запорізький обласний суд», Мелітополь",
        "occupation “Zaporizhzhia Regional Court”, Melitopol",
        "оккупационный «Запорожский областной суд», Мелитополь",
    ),
    "kursk-district": (
        "районний суд Курська",
        "a district court in Kursk",
        "районный суд Курска",
    ),
    "spb-district": (
        "районний суд Санкт-Петербурга",
        "a district court in St Petersburg",
        "районный суд Санкт-Петербурга",
    ),
    "sverdlovsk-regional": (
        "Свердловський обласний суд",
        "Sverdlovsk Regional Court",
        "Свердловский областной суд",
    ),
    "moscow-basmanny": (
        "Басманний районний суд Москви",
        "Basmanny District Court, Moscow",
        "Басманный районный суд Москвы",
    ),
    "belgrade-higher": (
        "Вищий суд у Белграді",
        "Higher Court in Belgrade",
        "Высший суд в Белграде",
    ),
    "podgorica-high": (
        "Вищий суд у Подгориці",
        "High Court in Podgorica",
        "Высший суд в Подгорице",
    ),
    "almaty-district": (
        "районний суд Алмати",
        "a district court in Almaty",
        "районный суд Алматы",
    ),
    "vitsebsk-regional": (
        "Вітебський обласний суд",
        "Vitsebsk Regional Court",
        "Витебский областной суд",
    ),
    "homel-district": (
        "районний суд Гомеля",
        "a district court in Homel",
        "районный суд Гомеля",
    ),
    "minsk-district": (
        "районний суд Мінська",
        "a district court in Minsk",
        "районный суд Минска",
    ),
}

COUNTRIES: dict[str, T] = {
    "russia": ("Росія", "Russia", "Россия"),
    "belarus": ("Білорусь", "Belarus", "Беларусь"),
    "germany": ("Німеччина", "Germany", "Германия"),
    "lithuania": ("Литва", "Lithuania", "Литва"),
    "france": ("Франція", "France", "Франция"),
    "kazakhstan": ("Казахстан", "Kazakhstan", "Казахстан"),
}

TOPICS: dict[str, T] = {
    "war": (
        "війна, політика, ЗСУ, новини з фронту",
        "the war, politics, the Ukrainian army, news from the front",
        "война, политика, ВСУ, новости с фронта",
    ),
    "case": (
        "подробиці справи та імена свідків",
        "details of the case and names of witnesses",
        "подробности дела и имена свидетелей",
    ),
    "religion": (
        "релігійні тексти й цитати, політика",
        "religious texts and quotations, politics",
        "религиозные тексты и цитаты, политика",
    ),
    "belarus": (
        "протести 2020 року, біло-червоно-біла символіка, політика",
        "the 2020 protests, white-red-white symbols, politics",
        "протесты 2020 года, бело-красно-белая символика, политика",
    ),
}

# key: (authority, article slugs, case summary, why the network considers it political)
CASES: dict[str, tuple[str, tuple[str, ...], T, T]] = {
    "espionage-occupied": (
        A.RUSSIA,
        ("russia-276",),
        (
            "Обвинувачення у «шпигунстві» ґрунтується на повідомленнях знайомим про пересування російської техніки, яку бачило все місто.",
            "The “espionage” charge rests on messages to friends about Russian military vehicles that the whole town could see.",
            "Обвинение в «шпионаже» основано на сообщениях знакомым о передвижении российской техники, которую видел весь город.",
        ),
        (
            "Цивільну людину з окупованої території переслідують за проукраїнську позицію; справа побудована на зізнанні, отриманому без адвоката.",
            "A civilian from an occupied territory prosecuted for a pro-Ukrainian stance; the case is built on a confession obtained without a lawyer.",
            "Мирного жителя оккупированной территории преследуют за проукраинскую позицию; дело построено на признании, полученном без адвоката.",
        ),
    ),
    "journalist-occupied": (
        A.RUSSIA,
        ("russia-276", "russia-207-3"),
        (
            "Обвинувачення у «шпигунстві» та «фейках» за фото зруйнованих будинків, надіслані редакції в Києві.",
            "Charged with “espionage” and “fakes” for photos of destroyed houses sent to her newsroom in Kyiv.",
            "Обвинение в «шпионаже» и «фейках» за фотографии разрушенных домов, отправленные в редакцию в Киеве.",
        ),
        (
            "Журналістку переслідують за професійну роботу в окупації.",
            "A journalist prosecuted for doing her job under occupation.",
            "Журналистку преследуют за профессиональную работу в оккупации.",
        ),
    ),
    "treason-passport": (
        A.RUSSIA,
        ("russia-275",),
        (
            "Після примусової паспортизації обвинувачено в «державній зраді» за дзвінок на українську гарячу лінію.",
            "After a Russian passport was forced on the person, charged with “high treason” over a call to a Ukrainian hotline.",
            "После принудительной паспортизации предъявлено обвинение в «государственной измене» за звонок на украинскую горячую линию.",
        ),
        (
            "Статтю про державну зраду застосовано до людини, якій російське громадянство нав'язали під окупацією.",
            "The treason article is applied to a Ukrainian on whom Russian citizenship was imposed under occupation.",
            "Статья о госизмене применена к человеку, которому российское гражданство навязали в оккупации.",
        ),
    ),
    "treason-donation": (
        A.RUSSIA,
        ("russia-275",),
        (
            "Обвинувачення в «державній зраді» за переказ 3 000 рублів благодійному фонду, що купує аптечки для українських лікарень.",
            "Charged with “high treason” for transferring 3,000 roubles to a charity buying first-aid kits for Ukrainian hospitals.",
            "Обвинение в «государственной измене» за перевод 3 000 рублей благотворительному фонду, покупающему аптечки для украинских больниц.",
        ),
        (
            "Гуманітарну пожертву прирівняно до зради; покарання явно непропорційне.",
            "A humanitarian donation treated as treason; the punishment is clearly disproportionate.",
            "Гуманитарное пожертвование приравнено к измене; наказание явно несоразмерно.",
        ),
    ),
    "hizb": (
        A.RUSSIA,
        ("russia-205-5", "russia-278"),
        (
            "Обвинувачення в участі в «Хізб ут-Тахрір», організації, що діє легально в Україні. Доказ — записи розмов про релігію та політику.",
            "Accused of membership of Hizb ut-Tahrir, an organisation that operates legally in Ukraine. The evidence is recordings of conversations about religion and politics.",
            "Обвинение в участии в «Хизб ут-Тахрир», организации, легально действующей в Украине. Доказательства — записи разговоров о религии и политике.",
        ),
        (
            "Мирних віруючих кримських татар масово переслідують як «терористів», не закидаючи їм жодного насильницького діяння.",
            "Peaceful Crimean Tatar believers are prosecuted en masse as “terrorists” without any violent act being alleged.",
            "Мирных верующих крымских татар массово преследуют как «террористов», не вменяя им никаких насильственных действий.",
        ),
    ),
    "hizb-absentia": (
        A.RUSSIA,
        ("russia-205-5",),
        (
            "Заочна справа про участь у «Хізб ут-Тахрір», порушена, коли він уже виїхав з Криму.",
            "A case in absentia for alleged Hizb ut-Tahrir membership, opened after he had left Crimea.",
            "Заочное дело об участии в «Хизб ут-Тахрир», возбуждённое, когда он уже уехал из Крыма.",
        ),
        (
            "Переслідування за віру та кримськотатарську ідентичність, яке продовжується за кордоном через запити про видачу.",
            "Persecution for faith and Crimean Tatar identity, pursued abroad through extradition requests.",
            "Преследование за веру и крымскотатарскую идентичность, продолжающееся за рубежом через запросы о выдаче.",
        ),
    ),
    "crimean-solidarity": (
        A.RUSSIA,
        ("russia-205-5",),
        (
            "Громадянського журналіста «Кримської солідарності» обвинувачено в «тероризмі» за стріми з обшуків і судів.",
            "A citizen journalist of Crimean Solidarity charged with “terrorism” for live-streaming searches and trials.",
            "Гражданского журналиста «Крымской солидарности» обвинили в «терроризме» за стримы с обысков и судов.",
        ),
        (
            "Переслідування за журналістську роботу й висвітлення репресій проти кримських татар.",
            "Persecution for journalism and for documenting repression against Crimean Tatars.",
            "Преследование за журналистскую работу и освещение репрессий против крымских татар.",
        ),
    ),
    "posts": (
        A.RUSSIA,
        ("russia-280-3", "russia-207-3"),
        (
            "Справа через дописи в соцмережах про обстріли цивільних і публічну незгоду з війною.",
            "The case concerns social-media posts about the shelling of civilians and public disagreement with the war.",
            "Дело о публикациях в соцсетях об обстрелах мирных жителей и публичном несогласии с войной.",
        ),
        (
            "Кримінальне переслідування за мирне висловлювання думки.",
            "Criminal prosecution for the peaceful expression of an opinion.",
            "Уголовное преследование за мирное выражение мнения.",
        ),
    ),
    "denunciation": (
        A.RUSSIA,
        ("russia-207-3",),
        (
            "Справа про «фейки» про армію за слова, сказані на роботі, про які донесла колега.",
            "A case over “fakes” about the army, for words spoken at work and reported by a colleague.",
            "Дело о «фейках» об армии за слова, сказанные на работе, о которых донесла коллега.",
        ),
        (
            "Кримінальне переслідування за мирне висловлювання думки.",
            "Criminal prosecution for the peaceful expression of an opinion.",
            "Уголовное преследование за мирное выражение мнения.",
        ),
    ),
    "explosives-planted": (
        A.RUSSIA,
        ("russia-222-1",),
        (
            "Під час обшуку силовики «знайшли» вибухівку, якої, за словами родини, в домі ніколи не було; понятих привели з собою.",
            "During a search, officers “found” explosives the family says were never in the house; the attesting witnesses came with the officers.",
            "Во время обыска силовики «нашли» взрывчатку, которой, по словам семьи, в доме никогда не было; понятых привели с собой.",
        ),
        (
            "Підкинуті докази і тиск на людину, відому громадською активністю.",
            "Planted evidence and pressure on a person known for civic activity.",
            "Подброшенные доказательства и давление на человека, известного гражданской активностью.",
        ),
    ),
    "sabotage": (
        A.RUSSIA,
        ("russia-281", "russia-222-1"),
        (
            "Обвинувачення в «диверсії» ґрунтується на відеозізнанні, записаному після кількох днів без адвоката.",
            "The “sabotage” charge rests on a videotaped confession recorded after several days without a lawyer.",
            "Обвинение в «диверсии» основано на видеопризнании, записанном после нескольких дней без адвоката.",
        ),
        (
            "Немає доказів жодних насильницьких дій; зізнання отримано під тиском, скарги на катування ігнорують.",
            "There is no evidence of any violent act; the confession was extracted under duress and complaints of torture are ignored.",
            "Доказательств насильственных действий нет; признание получено под давлением, жалобы на пытки игнорируются.",
        ),
    ),
    "border-deported": (
        A.RUSSIA,
        ("russia-322",),
        (
            "Вивезений до Росії з окупованого Київського регіону; через два роки без обвинувачення йому закинули «незаконний перетин кордону».",
            "Taken to Russia from the occupied Kyiv area; after two years without charge, he was accused of “illegally crossing the border”.",
            "Вывезен в Россию из оккупированной Киевщины; через два года без обвинения ему вменили «незаконное пересечение границы».",
        ),
        (
            "Цивільного примусово переміщено й утримують як заручника для майбутніх обмінів.",
            "A civilian forcibly transferred and held as a bargaining chip for future exchanges.",
            "Мирный житель насильственно перемещён и удерживается как заложник для будущих обменов.",
        ),
    ),
    "priest": (
        A.RUSSIA,
        ("russia-205-2",),
        (
            "Священника обвинувачено у «виправданні тероризму» за проповідь, у якій він молився за Україну.",
            "The priest is accused of “justifying terrorism” over a sermon in which he prayed for Ukraine.",
            "Священника обвинили в «оправдании терроризма» за проповедь, в которой он молился за Украину.",
        ),
        (
            "Переслідування за віру і належність до української церкви на окупованій території.",
            "Persecution for faith and for belonging to a Ukrainian church in occupied territory.",
            "Преследование за веру и принадлежность к украинской церкви на оккупированной территории.",
        ),
    ),
    "songs": (
        A.RUSSIA,
        ("russia-280-3",),
        (
            "Кримінальна справа про «дискредитацію армії» за українські пісні, які вона співала в кафе.",
            "A criminal case for “discrediting the army” over Ukrainian songs she sang in a café.",
            "Уголовное дело о «дискредитации армии» за украинские песни, которые она пела в кафе.",
        ),
        (
            "Покарання за українську мову і культуру в окупованому Криму.",
            "Punishment for Ukrainian language and culture in occupied Crimea.",
            "Наказание за украинский язык и культуру в оккупированном Крыму.",
        ),
    ),
    "concert": (
        A.RUSSIA,
        ("russia-207-3",),
        (
            "Засуджено за слова зі сцени про загиблих цивільних у Маріуполі.",
            "Convicted over words spoken on stage about the civilians killed in Mariupol.",
            "Осуждён за слова со сцены о погибших мирных жителях Мариуполя.",
        ),
        (
            "Ув'язнення за антивоєнне висловлювання.",
            "Imprisonment for an anti-war statement.",
            "Лишение свободы за антивоенное высказывание.",
        ),
    ),
    "dpr-espionage": (
        A.OCCUPATION,
        ("occupation-dpr-321",),
        (
            "Так званий «суд ДНР» виніс вирок за «шпигунство» через листування з родичами й колегами на підконтрольній Україні території.",
            "A so-called “DPR court” convicted the person of “espionage” over messages to relatives and colleagues in government-controlled Ukraine.",
            "Так называемый «суд ДНР» вынес приговор за «шпионаж» из-за переписки с родственниками и коллегами на подконтрольной Украине территории.",
        ),
        (
            "Нелегітимний «суд» окупаційної адміністрації, закритий процес і катування під час слідства.",
            "An illegitimate occupation “court”, a closed trial and torture during the investigation.",
            "Нелегитимный «суд» оккупационной администрации, закрытый процесс и пытки во время следствия.",
        ),
    ),
    "belarus-protest": (
        A.BELARUS,
        ("belarus-342",),
        (
            "Обвинувачення за участь у мирних протестах 2020 року, встановлену за фотографіями.",
            "Charged over taking part in the peaceful protests of 2020, identified from photographs.",
            "Обвинение за участие в мирных протестах 2020 года, установленное по фотографиям.",
        ),
        (
            "Переслідування за участь у мирних зібраннях.",
            "Prosecution for taking part in peaceful assemblies.",
            "Преследование за участие в мирных собраниях.",
        ),
    ),
    "belarus-extremist": (
        A.BELARUS,
        ("belarus-361-1",),
        (
            "Обвинувачення в «участі в екстремістському формуванні» за донати та коментарі в незалежному телеграм-каналі.",
            "Charged with “taking part in an extremist formation” over donations and comments in an independent Telegram channel.",
            "Обвинение в «участии в экстремистском формировании» за донаты и комментарии в независимом телеграм-канале.",
        ),
        (
            "Незалежні медіа оголошено «екстремістськими», щоб карати їхніх читачів.",
            "Independent media are labelled “extremist” in order to punish their readers.",
            "Независимые медиа объявлены «экстремистскими», чтобы наказывать их читателей.",
        ),
    ),
    "belarus-absentia": (
        A.BELARUS,
        ("belarus-342", "belarus-130"),
        (
            "Заочна справа за участь у протестах 2020 року та дописи в соцмережах.",
            "A case in absentia over the 2020 protests and social-media posts.",
            "Заочное дело за участие в протестах 2020 года и публикации в соцсетях.",
        ),
        (
            "Транснаціональні репресії: Білорусь використовує Інтерпол і екстрадицію проти мирного протестувальника.",
            "Transnational repression: Belarus uses INTERPOL and extradition against a peaceful protester.",
            "Транснациональные репрессии: Беларусь использует Интерпол и экстрадицию против мирного протестующего.",
        ),
    ),
    "journalist-absentia": (
        A.RUSSIA,
        ("russia-207-3",),
        (
            "Заочна справа про «фейки» про армію за розслідування про обстріли цивільних.",
            "A case in absentia over “fakes” about the army, for an investigation into the shelling of civilians.",
            "Заочное дело о «фейках» об армии за расследование об обстрелах мирных жителей.",
        ),
        (
            "Переслідування за журналістику; запити до Інтерполу — спроба дістати журналіста за кордоном.",
            "Persecution for journalism; the INTERPOL requests are an attempt to reach the journalist abroad.",
            "Преследование за журналистику; запросы в Интерпол — попытка достать журналиста за рубежом.",
        ),
    ),
    "antiwar-absentia": (
        A.RUSSIA,
        ("russia-280-3", "russia-207-3"),
        (
            "Заочна справа за антивоєнні пікети та дописи.",
            "A case in absentia over anti-war pickets and posts.",
            "Заочное дело за антивоенные пикеты и публикации.",
        ),
        (
            "Переслідування за антивоєнну позицію, що триває за кордоном через запити про розшук і видачу.",
            "Persecution for an anti-war stance, pursued abroad through wanted notices and extradition requests.",
            "Преследование за антивоенную позицию, продолжающееся за рубежом через запросы о розыске и выдаче.",
        ),
    ),
    "lawyer-absentia": (
        A.RUSSIA,
        ("russia-280-1",),
        (
            "Заочна справа про «заклики до порушення територіальної цілісності» за публічні заяви, що Крим — це Україна.",
            "A case in absentia for “calls to violate territorial integrity” over public statements that Crimea is Ukraine.",
            "Заочное дело о «призывах к нарушению территориальной целостности» за публичные заявления о том, что Крым — это Украина.",
        ),
        (
            "Переслідування адвоката за професійну діяльність і висловлювання.",
            "A lawyer persecuted for his professional work and for speaking out.",
            "Преследование адвоката за профессиональную деятельность и высказывания.",
        ),
    ),
}

# key (its first letter is the PACE criterion): evidence in uk, en, ru
EVIDENCE: dict[str, T] = {
    "a-expression": (
        "Переслідування за публікації та висловлювання, захищені статтею 10 Конвенції.",
        "Prosecuted for publications and statements protected by Article 10 of the Convention.",
        "Преследование за публикации и высказывания, защищённые статьёй 10 Конвенции.",
    ),
    "a-religion": (
        "Переслідування за мирну релігійну практику (стаття 9 Конвенції).",
        "Prosecuted for peaceful religious practice (Article 9 of the Convention).",
        "Преследование за мирную религиозную практику (статья 9 Конвенции).",
    ),
    "a-assembly": (
        "Переслідування за участь у мирних зібраннях (стаття 11 Конвенції).",
        "Prosecuted for taking part in peaceful assemblies (Article 11 of the Convention).",
        "Преследование за участие в мирных собраниях (статья 11 Конвенции).",
    ),
    "b-pro-ukrainian": (
        "Жодного злочину не встановлено; справжня причина — проукраїнська позиція.",
        "No offence has been shown; the real reason is a pro-Ukrainian stance.",
        "Никакого преступления не установлено; настоящая причина — проукраинская позиция.",
    ),
    "b-hostage": (
        "Цивільну особу утримують без зв'язку з будь-яким злочином як «обмінний фонд».",
        "A civilian held with no connection to any offence, as a bargaining chip for exchanges.",
        "Гражданское лицо удерживается без связи с каким-либо преступлением как «обменный фонд».",
    ),
    "b-disappeared": (
        "Затримання поза будь-якими процедурами; місце утримання приховують.",
        "Detained outside any legal procedure; the place of detention is concealed.",
        "Задержание вне каких-либо процедур; место содержания скрывают.",
    ),
    "c-length": (
        "Строк понад десять років за ненасильницькі дії явно непропорційний.",
        "A term of over ten years for non-violent acts is clearly disproportionate.",
        "Срок более десяти лет за ненасильственные действия явно несоразмерен.",
    ),
    "c-conditions": (
        "Утримання без належної медичної допомоги та в ізоляції від родини.",
        "Held without adequate medical care and cut off from the family.",
        "Содержание без надлежащей медицинской помощи и в изоляции от семьи.",
    ),
    "c-extradition": (
        "Тримання під вартою для видачі триває без реальної оцінки ризику катувань у Росії.",
        "Extradition detention continues without any real assessment of the risk of torture in Russia.",
        "Содержание под стражей для выдачи продолжается без реальной оценки риска пыток в России.",
    ),
    "d-ethnic": (
        "Кримських татар переслідують за такими справами масово, на відміну від інших мешканців Криму.",
        "Crimean Tatars are prosecuted in such cases en masse, unlike other residents of Crimea.",
        "Крымских татар преследуют по таким делам массово, в отличие от других жителей Крыма.",
    ),
    "d-ukrainian": (
        "Українців за подібні дії карають значно суворіше, ніж інших.",
        "Ukrainians are punished far more harshly than others for similar acts.",
        "Украинцев за подобные действия наказывают значительно суровее, чем других.",
    ),
    "e-torture": (
        "Зізнання отримано під тортурами; скарги на катування не розслідували.",
        "The confession was obtained under torture; complaints of torture were never investigated.",
        "Признание получено под пытками; жалобы на пытки не расследовались.",
    ),
    "e-secret-witness": (
        "Обвинувачення спирається на засекречених свідків і висновки «експертів» ФСБ.",
        "The charges rest on anonymous witnesses and FSB-commissioned “expert” opinions.",
        "Обвинение опирается на засекреченных свидетелей и заключения «экспертов» ФСБ.",
    ),
    "e-closed-trial": (
        "Закритий процес, адвокат за призначенням, родину до суду не допустили.",
        "A closed trial, a state-appointed lawyer, and the family kept out of court.",
        "Закрытый процесс, адвокат по назначению, семью в суд не допустили.",
    ),
    "e-planted": (
        "Вибухівку «знайшли» без незалежних понятих; відбитків пальців на пакеті немає.",
        "The explosives were “found” without independent witnesses; there were no fingerprints on the package.",
        "Взрывчатку «нашли» без независимых понятых; отпечатков пальцев на пакете нет.",
    ),
    "e-interpol": (
        "Запит про розшук ґрунтується на справі, порушеній за публічну критику влади.",
        "The wanted notice rests on a case opened over public criticism of the authorities.",
        "Запрос о розыске основан на деле, возбуждённом за публичную критику власти.",
    ),
    "e-absentia": (
        "Заочний процес без належного повідомлення і без захисника за вибором.",
        "A trial in absentia without proper notice or a lawyer of the person's choosing.",
        "Заочный процесс без надлежащего уведомления и без защитника по выбору.",
    ),
    "e-denunciation": (
        "Справа почалася з доносу колеги; суд відмовився допитати свідків захисту.",
        "The case began with a colleague's denunciation; the court refused to hear defence witnesses.",
        "Дело началось с доноса коллеги; суд отказался допросить свидетелей защиты.",
    ),
}

# key: (kind, description in uk, en, ru)
EVENTS: dict[str, tuple[str, T]] = {
    "search-arrest": (
        K.ARREST,
        (
            "Обшук удома на світанку і затримання.",
            "Dawn search of the home, then arrest.",
            "Обыск дома на рассвете и задержание.",
        ),
    ),
    "checkpoint-arrest": (
        K.ARREST,
        (
            "Затримання на блокпосту; рідні тижнями не знали місця утримання.",
            "Detained at a checkpoint; for weeks the family did not know where the person was held.",
            "Задержание на блокпосту; родные неделями не знали места содержания.",
        ),
    ),
    "workplace-arrest": (
        K.ARREST,
        (
            "Затримання на робочому місці озброєними людьми без розпізнавальних знаків.",
            "Detained at work by armed men without insignia.",
            "Задержание на рабочем месте вооружёнными людьми без опознавательных знаков.",
        ),
    ),
    "abduction": (
        K.ARREST,
        (
            "Невідомі в камуфляжі посадили до мікроавтобуса без номерів біля дому.",
            "Men in camouflage bundled the person into an unmarked minibus near home.",
            "Неизвестные в камуфляже посадили в микроавтобус без номеров возле дома.",
        ),
    ),
    "soldiers-council": (
        K.ARREST,
        (
            "Російські військові вивезли її з будівлі сільради.",
            "Russian soldiers took her away from the village council building.",
            "Российские военные увезли её из здания сельсовета.",
        ),
    ),
    "soldiers-yard": (
        K.ARREST,
        (
            "Військові забрали його з власного подвір'я під час «фільтрації» села.",
            "Soldiers took him from his own yard during the “filtration” of the village.",
            "Военные забрали его с собственного двора во время «фильтрации» села.",
        ),
    ),
    "evacuation-arrest": (
        K.ARREST,
        (
            "Затримання російськими військовими під час евакуації жителів Гостомеля.",
            "Detained by Russian soldiers while evacuating residents of Hostomel.",
            "Задержание российскими военными во время эвакуации жителей Гостомеля.",
        ),
    ),
    "church-search": (
        K.ARREST,
        (
            "Обшук у храмі та вдома, затримання після служби.",
            "Church and home searched; detained after the service.",
            "Обыск в храме и дома, задержание после службы.",
        ),
    ),
    "cafe-arrest": (
        K.ARREST,
        (
            "Затримання в кафе після виступу; відео поширили провладні канали.",
            "Detained in a café after a performance; pro-government channels spread the video.",
            "Задержание в кафе после выступления; видео распространили провластные каналы.",
        ),
    ),
    "stage-arrest": (
        K.ARREST,
        (
            "Затримання одразу після концерту.",
            "Detained straight after the concert.",
            "Задержание сразу после концерта.",
        ),
    ),
    "airport-arrest": (
        K.ARREST,
        (
            "Затримання в аеропорту дорогою до родичів.",
            "Detained at the airport on the way to visit relatives.",
            "Задержание в аэропорту по дороге к родственникам.",
        ),
    ),
    "red-notice-arrest": (
        K.ARREST,
        (
            "Затримання в аеропорту за «червоним оповіщенням» Інтерполу.",
            "Detained at an airport on an INTERPOL Red Notice.",
            "Задержание в аэропорту по «красному уведомлению» Интерпола.",
        ),
    ),
    "border-arrest": (
        K.ARREST,
        (
            "Затримання на кордоні за запитом Інтерполу.",
            "Detained at a border crossing on an INTERPOL request.",
            "Задержание на границе по запросу Интерпола.",
        ),
    ),
    "interstate-arrest": (
        K.ARREST,
        (
            "Затримання в Алмати за міждержавним розшуком Росії.",
            "Detained in Almaty on a Russian interstate wanted notice.",
            "Задержание в Алматы по межгосударственному розыску России.",
        ),
    ),
    "case-opened": (
        K.CHARGES,
        (
            "Порушено кримінальну справу.",
            "Criminal case opened.",
            "Возбуждено уголовное дело.",
        ),
    ),
    "charges": (
        K.CHARGES,
        ("Висунуто обвинувачення.", "Formally charged.", "Предъявлено обвинение."),
    ),
    "in-absentia": (
        K.HEARING,
        (
            "Суд заочно обрав запобіжний захід — тримання під вартою.",
            "A court ordered detention in absentia.",
            "Суд заочно избрал меру пресечения — заключение под стражу.",
        ),
    ),
    "transfer-russia": (
        K.TRANSFER,
        ("Етап до Росії.", "Transferred to Russia.", "Этап в Россию."),
    ),
    "transfer-simferopol": (
        K.TRANSFER,
        (
            "Переведення до СІЗО в Сімферополі.",
            "Moved to the pre-trial detention centre in Simferopol.",
            "Перевод в СИЗО Симферополя.",
        ),
    ),
    "transfer-colony": (
        K.TRANSFER,
        ("Етап до колонії.", "Transferred to a penal colony.", "Этап в колонию."),
    ),
    "transfer-prison": (
        K.TRANSFER,
        ("Етап до в'язниці.", "Transferred to a prison.", "Этап в тюрьму."),
    ),
    "detention-extended": (
        K.HEARING,
        (
            "Суд продовжив строк тримання під вартою.",
            "The court extended pre-trial detention.",
            "Суд продлил срок содержания под стражей.",
        ),
    ),
    "house-arrest": (
        K.HEARING,
        (
            "Суд обрав запобіжний захід — домашній арешт.",
            "The court ordered house arrest.",
            "Суд избрал меру пресечения — домашний арест.",
        ),
    ),
    "measure-extended": (
        K.HEARING,
        (
            "Суд продовжив запобіжний захід.",
            "The court extended the preventive measure.",
            "Суд продлил меру пресечения.",
        ),
    ),
    "tv-confession": (
        K.OTHER,
        (
            "Російське телебачення показало його «зізнання» зі слідами побоїв.",
            "Russian state TV aired his “confession”, with visible bruises.",
            "Российское ТВ показало его «признание» со следами побоев.",
        ),
    ),
    "verdict": (
        K.VERDICT,
        ("Оголошено вирок.", "Sentence handed down.", "Оглашён приговор."),
    ),
    "appeal-rejected": (
        K.APPEAL,
        ("Апеляцію відхилено.", "Appeal rejected.", "Апелляция отклонена."),
    ),
    "release-served": (
        K.RELEASE,
        (
            "Звільнення після відбуття строку.",
            "Released after serving the sentence.",
            "Освобождение по отбытии срока.",
        ),
    ),
    "release-exchange": (
        K.RELEASE,
        (
            "Звільнення в межах обміну полоненими.",
            "Freed in a prisoner exchange.",
            "Освобождение в рамках обмена пленными.",
        ),
    ),
    "release-bail": (
        K.RELEASE,
        (
            "Звільнення під заставу до рішення щодо екстрадиції.",
            "Released on bail pending the extradition decision.",
            "Освобождение под залог до решения об экстрадиции.",
        ),
    ),
    "left-occupation": (
        K.OTHER,
        (
            "Через треті країни виїхав на підконтрольну Україні територію.",
            "Reached government-controlled Ukraine via third countries.",
            "Через третьи страны выехал на подконтрольную Украине территорию.",
        ),
    ),
    "death": (
        K.OTHER,
        (
            "Родині повідомили про смерть у колонії; незалежного розслідування причин не було.",
            "The family was told of his death in the colony; there has been no independent inquiry into the cause.",
            "Семье сообщили о смерти в колонии; независимого расследования причин не было.",
        ),
    ),
    "disappearance-reported": (
        K.OTHER,
        (
            "Родина заявила про зникнення; розслідування нічого не дало.",
            "The family reported the disappearance; the investigation has produced nothing.",
            "Семья заявила об исчезновении; расследование ничего не дало.",
        ),
    ),
    "liberated-no-trace": (
        K.OTHER,
        (
            "Село звільнено, але слідів не знайшли; ім'я передано до МКЧХ.",
            "The village was liberated, but no trace was found; her name was passed to the ICRC.",
            "Село освобождено, но следов не нашли; имя передано в МККК.",
        ),
    ),
    "echr": (
        K.OTHER,
        (
            "Подано заяву до Європейського суду з прав людини.",
            "Application lodged with the European Court of Human Rights.",
            "Подана жалоба в Европейский суд по правам человека.",
        ),
    ),
    "interpol-circulated": (
        K.OTHER,
        (
            "Держава-запитувач поширила розшук через Інтерпол.",
            "The requesting state circulated the wanted notice through INTERPOL.",
            "Запрашивающее государство объявило розыск через Интерпол.",
        ),
    ),
    "ccf-complaint": (
        K.OTHER,
        (
            "Подано скаргу до Комісії з контролю файлів Інтерполу.",
            "Complaint filed with INTERPOL's Commission for the Control of Files.",
            "Подана жалоба в Комиссию по контролю за файлами Интерпола.",
        ),
    ),
    "ccf-deleted": (
        K.OTHER,
        (
            "Комісія визнала запит політичним; дані видалено.",
            "The Commission found the request political; the data were deleted.",
            "Комиссия признала запрос политическим; данные удалены.",
        ),
    ),
    "sis-alert": (
        K.OTHER,
        (
            "Виявлено запис у Шенгенській інформаційній системі.",
            "An alert in the Schengen Information System came to light.",
            "Обнаружена запись в Шенгенской информационной системе.",
        ),
    ),
    "asylum-applied": (
        K.OTHER,
        (
            "Подано заяву про надання притулку.",
            "Asylum application lodged.",
            "Подано заявление о предоставлении убежища.",
        ),
    ),
    "asylum-refused": (
        K.OTHER,
        (
            "У притулку відмовлено в першій інстанції; подано апеляцію.",
            "Asylum refused at first instance; an appeal was lodged.",
            "В убежище отказано в первой инстанции; подана апелляция.",
        ),
    ),
    "asylum-granted": (
        K.OTHER,
        (
            "Надано статус біженця.",
            "Refugee status granted.",
            "Предоставлен статус беженца.",
        ),
    ),
    "extradition-request": (
        K.OTHER,
        (
            "Надійшов запит про екстрадицію.",
            "An extradition request was sent.",
            "Поступил запрос об экстрадиции.",
        ),
    ),
    "extradition-withdrawn": (
        K.OTHER,
        (
            "Запит про екстрадицію відкликано.",
            "The extradition request was withdrawn.",
            "Запрос об экстрадиции отозван.",
        ),
    ),
    "extradition-refused": (
        K.HEARING,
        (
            "Суд відмовив у видачі, пославшись на ризик катувань.",
            "The court refused extradition, citing the risk of torture.",
            "Суд отказал в выдаче, сославшись на риск пыток.",
        ),
    ),
    "extradition-granted": (
        K.OTHER,
        (
            "Генеральна прокуратура ухвалила рішення про видачу; його оскаржено.",
            "The prosecutor general approved extradition; the decision is under appeal.",
            "Генеральная прокуратура приняла решение о выдаче; оно обжалуется.",
        ),
    ),
    "searched-while-away": (
        K.OTHER,
        (
            "Обшук у домі родини в Криму, коли він був за кордоном.",
            "His family's home in Crimea was searched while he was abroad.",
            "Обыск в доме семьи в Крыму, пока он был за границей.",
        ),
    ),
    "pace-review": (
        K.OTHER,
        (
            "Мережа переглянула оцінку справи.",
            "The network reviewed its assessment of the case.",
            "Сеть пересмотрела оценку дела.",
        ),
    ),
}


@dataclass(frozen=True)
class Person:
    """One invented person. Texts are (uk, en, ru); other values are keys of the
    tables above. `consent` is (given by, given on, review on, scopes) where the
    scopes are letters: n(ame), p(hoto), d(etention place), r(elatives)."""

    slug: str
    name: T  # the public name in each language's script
    born: int | None
    region: str | None
    occupation: str
    status: str
    story: T
    consent: tuple[str, str, str | None, str]
    detained: str | None = None
    released: str | None = None
    case: str | None = None
    sentence: tuple[str, str] | None = None  # (years, regime)
    court: str | None = None
    next_hearing: str | None = None
    place: str | None = None
    letters: tuple[str, str, str, bool] | None = (
        None  # verified, language, topics, blocked
    )
    pace: tuple[str, ...] = ()
    timeline: tuple[tuple[str, str], ...] = ()
    spellings: tuple[tuple[str, str], ...] = ()  # besides the three names
    interpol: tuple[str, str, T | None] | None = None  # notice, CCF complaint, outcome
    sis: T | None = None
    extradition: tuple[str, str] | None = None  # requesting country, status
    asylum: tuple[str, str] | None = None  # country, status
    hidden: tuple[str, ...] = ()
    legal_name: str = ""  # pseudonyms only: private, never public
    relatives: T | None = None
    assessment: T | None = None  # instead of the case's
    meets_pace: bool = True


PEOPLE: list[Person] = [
    Person(
        slug="serhii-petrenko",
        name=("Сергій Петренко", "Serhii Petrenko", "Сергей Петренко"),
        spellings=(("latin", "Sergei Petrenko"), ("latin", "Sergey Petrenko")),
        born=1978,
        region="zaporizhzhia",
        occupation="history-teacher",
        status=S.SENTENCED,
        detained="2022-08-14",
        case="espionage-occupied",
        sentence=("14", R.STRICT),
        court="south-military",
        place="colony-rostov",
        letters=("2026-09-30", L.RUSSIAN, "war", False),
        pace=("b-pro-ukrainian", "c-length", "e-torture"),
        timeline=(
            ("2022-08-14", "search-arrest"),
            ("2022-11-03", "transfer-russia"),
            ("2023-06-20", "charges"),
            ("2024-02-20", "verdict"),
            ("2024-07-11", "appeal-rejected"),
        ),
        story=(
            "Учитель історії з Мелітополя, який відмовився викладати за російською програмою. Колишні учні досі надсилають йому листівки.",
            "A history teacher from Melitopol who refused to teach the Russian curriculum. His former pupils still send him postcards.",
            "Учитель истории из Мелитополя, отказавшийся преподавать по российской программе. Бывшие ученики до сих пор присылают ему открытки.",
        ),
        relatives=(
            "Дружина й донька виїхали до Запоріжжя і чекають на нього.",
            "His wife and daughter left for Zaporizhzhia and are waiting for him.",
            "Жена и дочь уехали в Запорожье и ждут его.",
        ),
        consent=(G.FAMILY, "2023-05-10", "2027-05-10", "npdr"),
    ),
    Person(
        slug="olena-kovalchuk",
        name=("Олена Ковальчук", "Olena Kovalchuk", "Елена Ковальчук"),
        spellings=(("latin", "Elena Kovalchuk"),),
        born=1989,
        region="kherson",
        occupation="journalist-f",
        status=S.PRETRIAL,
        detained="2025-03-18",
        case="journalist-occupied",
        court="kherson-occupied",
        next_hearing="2026-12-09",
        place="sizo-simferopol",
        letters=("2026-10-15", L.RUSSIAN, "case", False),
        pace=("a-expression", "b-pro-ukrainian", "e-closed-trial"),
        timeline=(
            ("2025-03-18", "checkpoint-arrest"),
            ("2025-04-02", "transfer-simferopol"),
            ("2025-05-20", "charges"),
            ("2026-09-10", "detention-extended"),
        ),
        story=(
            "Місцева журналістка, яка після окупації Херсонщини продовжувала знімати наслідки обстрілів. Її затримали на блокпосту дорогою до матері.",
            "A local journalist who kept filming the aftermath of shelling after the Kherson region was occupied. She was detained at a checkpoint on the way to her mother's.",
            "Местная журналистка, продолжавшая снимать последствия обстрелов после оккупации Херсонщины. Её задержали на блокпосту по дороге к матери.",
        ),
        hidden=("court",),
        consent=(G.LAWYER, "2025-06-01", "2026-12-01", "nd"),
    ),
    Person(
        slug="aider-memetov",
        name=("Айдер Меметов", "Aider Memetov", "Айдер Меметов"),
        spellings=(("crh", "Ayder Memetov"),),
        born=1984,
        region="crimea",
        occupation="imam",
        status=S.SENTENCED,
        detained="2019-03-27",
        case="hizb",
        sentence=("17", R.STRICT),
        court="south-military",
        place="colony-mordovia",
        letters=("2026-08-20", L.RUSSIAN, "religion", False),
        pace=("a-religion", "c-length", "d-ethnic", "e-secret-witness"),
        timeline=(
            ("2019-03-27", "search-arrest"),
            ("2019-04-10", "transfer-russia"),
            ("2021-06-16", "verdict"),
            ("2022-01-25", "appeal-rejected"),
            ("2022-05-30", "transfer-colony"),
        ),
        story=(
            "Імам невеликої мечеті під Бахчисараєм, батько чотирьох дітей. Його затримали під час масових обшуків у кримськотатарських домівках.",
            "Imam of a small mosque near Bakhchysarai and father of four. He was arrested in a wave of mass searches of Crimean Tatar homes.",
            "Имам небольшой мечети под Бахчисараем, отец четырёх детей. Его задержали во время массовых обысков в крымскотатарских домах.",
        ),
        relatives=(
            "Дружина Ліля з чотирма дітьми живе в Бахчисараї.",
            "His wife Lilia and their four children live in Bakhchysarai.",
            "Жена Лиля с четырьмя детьми живёт в Бахчисарае.",
        ),
        consent=(G.FAMILY, "2022-02-01", "2027-02-01", "npdr"),
    ),
    Person(
        slug="enver-kurtumerov",
        name=("Енвер Куртумеров", "Enver Kurtumerov", "Энвер Куртумеров"),
        spellings=(("crh", "Enver Qurtumerov"),),
        born=1991,
        region="crimea",
        occupation="citizen-journalist",
        status=S.SENTENCED,
        detained="2021-09-04",
        case="crimean-solidarity",
        sentence=("14", R.PRISON),
        court="south-military",
        place="prison-vladimir",
        letters=("2026-07-01", L.RUSSIAN, "case", True),
        pace=("a-expression", "d-ethnic", "e-secret-witness"),
        timeline=(
            ("2021-09-04", "search-arrest"),
            ("2021-09-06", "charges"),
            ("2023-03-15", "verdict"),
            ("2023-10-12", "appeal-rejected"),
            ("2024-02-01", "transfer-prison"),
        ),
        story=(
            "Знімав на телефон обшуки в сусідів для «Кримської солідарності», доки обшук не прийшов і до нього. Листи до нього зараз не доходять.",
            "He filmed searches of his neighbours' homes for Crimean Solidarity, until the search came to his own door. Letters are not reaching him at the moment.",
            "Снимал на телефон обыски у соседей для «Крымской солидарности», пока обыск не пришёл к нему самому. Письма к нему сейчас не доходят.",
        ),
        consent=(G.LAWYER, "2021-10-01", "2026-10-01", "npdr"),
    ),
    Person(
        slug="zarema-bekirova",
        name=("Зарема Бекірова", "Zarema Bekirova", "Зарема Бекирова"),
        spellings=(("crh", "Zarema Bekirova"),),
        born=1979,
        region="crimea",
        occupation="activist-f",
        status=S.HOUSE_ARREST,
        detained="2025-09-12",
        case="posts",
        court="simferopol-district",
        next_hearing="2026-12-16",
        pace=("a-expression", "d-ethnic"),
        timeline=(
            ("2025-09-12", "search-arrest"),
            ("2025-09-14", "house-arrest"),
            ("2026-06-03", "measure-extended"),
        ),
        story=(
            "Збирала передачі для родин політв'язнів у Криму. Під домашнім арештом їй заборонено користуватися телефоном та інтернетом.",
            "She organised parcels for the families of Crimean political prisoners. Under house arrest she is barred from using a phone or the internet.",
            "Собирала передачи для семей политзаключённых в Крыму. Под домашним арестом ей запрещено пользоваться телефоном и интернетом.",
        ),
        consent=(G.PERSON, "2025-10-01", "2026-10-01", "np"),
    ),
    Person(
        slug="remzi-ibraimov",
        name=("Ремзі Ібраїмов", "Remzi Ibraimov", "Ремзи Ибраимов"),
        spellings=(("crh", "Remzi İbraimov"),),
        born=1972,
        region="crimea",
        occupation="farmer",
        status=S.RELEASED,
        detained="2018-10-11",
        released="2024-10-10",
        case="explosives-planted",
        sentence=("6", R.GENERAL),
        court="simferopol-district",
        pace=("d-ethnic", "e-planted"),
        timeline=(
            ("2018-10-11", "search-arrest"),
            ("2019-05-22", "verdict"),
            ("2019-09-18", "appeal-rejected"),
            ("2024-10-10", "release-served"),
        ),
        story=(
            "Вирощував виноград у Бахчисарайському районі й допомагав сусідам з юридичними паперами. Вийшов на волю після шести років ув'язнення.",
            "He grew grapes in the Bakhchysarai district and helped neighbours with legal paperwork. He walked free after six years behind bars.",
            "Выращивал виноград в Бахчисарайском районе и помогал соседям с юридическими бумагами. Вышел на свободу после шести лет заключения.",
        ),
        consent=(G.PERSON, "2024-11-01", "2027-11-01", "npdr"),
    ),
    Person(
        slug="diliaver-osmanov",
        name=("Ділявер Османов", "Diliaver Osmanov", "Дилявер Османов"),
        spellings=(("crh", "Dilâver Osmanov"), ("latin", "Dilyaver Osmanov")),
        born=1966,
        region="crimea",
        occupation="builder",
        status=S.DECEASED,
        detained="2017-10-02",
        case="hizb",
        sentence=("13", R.STRICT),
        court="south-military",
        place="colony-rostov",
        pace=("a-religion", "c-conditions", "d-ethnic"),
        timeline=(
            ("2017-10-02", "search-arrest"),
            ("2019-11-12", "verdict"),
            ("2020-06-15", "transfer-colony"),
            ("2024-12-03", "death"),
        ),
        story=(
            "Будівельник, батько трьох синів, хворів на діабет. Помер у колонії після років без належного лікування.",
            "A builder and father of three sons who lived with diabetes. He died in the colony after years without proper treatment.",
            "Строитель, отец трёх сыновей, болел диабетом. Умер в колонии после многих лет без надлежащего лечения.",
        ),
        consent=(G.FAMILY, "2025-01-15", None, "npdr"),
    ),
    Person(
        slug="rustem-yakubov",
        name=("Рустем Якубов", "Rustem Yakubov", "Рустем Якубов"),
        spellings=(("crh", "Rüstem Yaqubov"), ("latin", "Rustem Iakubov")),
        born=1993,
        region="crimea",
        occupation="student",
        status=S.DISAPPEARED,
        detained="2014-09-27",
        pace=("b-disappeared",),
        timeline=(
            ("2014-09-27", "abduction"),
            ("2014-10-02", "disappearance-reported"),
            ("2021-04-15", "echr"),
        ),
        story=(
            "Студент-історик, який у березні 2014 року стояв у мирному пікеті проти окупації. За пів року він зник, і відтоді про нього нічого не відомо.",
            "A history student who stood in a peaceful picket against the occupation in March 2014. Six months later he vanished, and nothing has been heard of him since.",
            "Студент-историк, стоявший в марте 2014 года в мирном пикете против оккупации. Через полгода он исчез, и с тех пор о нём ничего не известно.",
        ),
        assessment=(
            "Насильницьке зникнення учасника мирного протесту; окупаційна влада його не розслідує.",
            "The enforced disappearance of a peaceful protester, which the occupation authorities do not investigate.",
            "Насильственное исчезновение участника мирного протеста; оккупационные власти его не расследуют.",
        ),
        consent=(G.FAMILY, "2015-03-01", "2027-03-01", "npr"),
    ),
    Person(
        slug="mykola-savchuk",
        name=("Микола Савчук", "Mykola Savchuk", "Николай Савчук"),
        spellings=(("latin", "Nikolai Savchuk"),),
        born=1961,
        region="kherson",
        occupation="farmer",
        status=S.EXCHANGED,
        detained="2022-04-19",
        released="2024-06-25",
        pace=("b-hostage", "c-conditions"),
        timeline=(
            ("2022-04-19", "soldiers-yard"),
            ("2022-06-08", "transfer-russia"),
            ("2024-06-25", "release-exchange"),
        ),
        story=(
            "Фермер з Херсонщини, який під час окупації роздавав сусідам молоко й зерно. Два роки провів у російських СІЗО без жодного обвинувачення.",
            "A farmer from the Kherson region who handed out milk and grain to neighbours during the occupation. He spent two years in Russian detention centres without any charge.",
            "Фермер с Херсонщины, раздававший соседям молоко и зерно во время оккупации. Два года провёл в российских СИЗО без какого-либо обвинения.",
        ),
        assessment=(
            "Цивільного заручника утримували без обвинувачення, доки не обміняли.",
            "A civilian hostage held without charge until he was exchanged.",
            "Мирного жителя удерживали как заложника без обвинения, пока не обменяли.",
        ),
        consent=(G.PERSON, "2024-08-01", "2027-08-01", "npdr"),
    ),
    Person(
        slug="iryna-bondar",
        name=("Ірина Бондар", "Iryna Bondar", "Ирина Бондарь"),
        spellings=(("latin", "Irina Bondar"),),
        born=1975,
        region="donetsk",
        occupation="doctor-f",
        status=S.EXCHANGED,
        detained="2017-05-16",
        released="2019-12-29",
        case="dpr-espionage",
        sentence=("11", R.GENERAL),
        court="dpr-supreme",
        pace=("b-pro-ukrainian", "c-conditions", "e-closed-trial"),
        timeline=(
            ("2017-05-16", "workplace-arrest"),
            ("2018-09-20", "verdict"),
            ("2019-12-29", "release-exchange"),
        ),
        story=(
            "Лікарка-терапевтка з Донецька, яка листувалася з колегами з Краматорська. Після обміну повернулася до медицини й тепер допомагає звільненим.",
            "A general practitioner from Donetsk who corresponded with colleagues in Kramatorsk. After the exchange she went back to medicine and now treats other released prisoners.",
            "Врач-терапевт из Донецка, переписывавшаяся с коллегами из Краматорска. После обмена вернулась в медицину и теперь помогает освобождённым.",
        ),
        consent=(G.PERSON, "2020-02-01", "2027-02-01", "npdr"),
    ),
    Person(
        slug="taras-hnatiuk",
        name=("Тарас Гнатюк", "Taras Hnatiuk", "Тарас Гнатюк"),
        spellings=(("latin", "Taras Gnatyuk"),),
        born=1990,
        region="luhansk",
        occupation="programmer",
        status=S.PRETRIAL,
        detained="2025-11-05",
        case="treason-passport",
        court="lpr-supreme",
        next_hearing="2026-12-02",
        place="sizo-rostov",
        letters=("2026-11-02", L.RUSSIAN, "case", False),
        pace=("b-pro-ukrainian", "e-torture"),
        timeline=(
            ("2025-11-05", "search-arrest"),
            ("2025-11-07", "charges"),
            ("2026-10-28", "detention-extended"),
        ),
        story=(
            "Програміст, який залишився в окупації, щоб доглядати за літніми батьками. На прохання родини частину даних приховано.",
            "A software developer who stayed under occupation to look after his elderly parents. At the family's request, some details are hidden.",
            "Программист, оставшийся в оккупации, чтобы ухаживать за пожилыми родителями. По просьбе семьи часть данных скрыта.",
        ),
        hidden=("birth_year", "home_region", "court"),
        consent=(G.FAMILY, "2025-12-01", "2026-12-31", "nd"),
    ),
    Person(
        slug="oksana-lysenko",
        name=("Оксана Лисенко", "Oksana Lysenko", "Оксана Лысенко"),
        born=1955,
        region="kharkiv",
        occupation="pensioner-f",
        status=S.SENTENCED,
        detained="2022-07-21",
        case="espionage-occupied",
        sentence=("12", R.GENERAL),
        court="rostov-regional",
        place="colony-women",
        letters=("2026-04-12", L.RUSSIAN, "war", True),
        pace=("b-pro-ukrainian", "c-length", "d-ukrainian"),
        timeline=(
            ("2022-07-21", "search-arrest"),
            ("2022-09-10", "transfer-russia"),
            ("2023-11-14", "verdict"),
            ("2024-04-02", "appeal-rejected"),
            ("2024-06-01", "transfer-colony"),
        ),
        story=(
            "Пенсіонерка з Куп'янського району, яку затримали через телефонну розмову із сином. Родина просить поки не писати їй листів.",
            "A pensioner from the Kupiansk district, arrested over a phone call with her son. Her family asks people not to write to her for now.",
            "Пенсионерка из Купянского района, задержанная из-за телефонного разговора с сыном. Семья просит пока не писать ей писем.",
        ),
        hidden=("letters",),
        consent=(G.FAMILY, "2023-03-01", "2027-03-01", "npd"),
    ),
    Person(
        slug="bohdan-kravets",
        name=("Богдан Кравець", "Bohdan Kravets", "Богдан Кравец"),
        spellings=(("latin", "Bogdan Kravets"),),
        born=2001,
        region="zaporizhzhia",
        occupation="student",
        status=S.SENTENCED,
        detained="2023-02-08",
        case="sabotage",
        sentence=("19", R.STRICT),
        court="south-military",
        place="colony-mordovia",
        letters=("2026-11-24", L.RUSSIAN, "war", False),
        pace=("c-length", "e-torture"),
        timeline=(
            ("2023-02-08", "search-arrest"),
            ("2023-02-15", "tv-confession"),
            ("2024-08-22", "verdict"),
            ("2025-02-06", "appeal-rejected"),
            ("2025-05-15", "transfer-colony"),
        ),
        story=(
            "Студент коледжу з Бердянська, затриманий за графіті «Бердянськ — це Україна». За тиждень з'явилося відео з його «зізнанням» у диверсії.",
            "A college student from Berdiansk detained over the graffiti “Berdiansk is Ukraine”. A week later a video of his “confession” to sabotage appeared.",
            "Студент колледжа из Бердянска, задержанный за граффити «Бердянск — это Украина». Через неделю появилось видео с его «признанием» в диверсии.",
        ),
        consent=(G.FAMILY, "2023-04-01", "2027-04-01", "npdr"),
    ),
    Person(
        slug="mariia-n",
        name=("Марія Н.", "Mariia N.", "Мария Н."),
        spellings=(("latin", "Maria N."),),
        legal_name="Людмила Коротюк",
        born=1986,
        region="kherson",
        occupation="volunteer-f",
        status=S.PRETRIAL,
        detained="2026-02-17",
        case="espionage-occupied",
        court="kherson-occupied",
        next_hearing="2026-12-11",
        place="sizo-simferopol",
        pace=("b-pro-ukrainian", "e-closed-trial"),
        timeline=(
            ("2026-02-17", "search-arrest"),
            ("2026-04-03", "charges"),
            ("2026-10-14", "detention-extended"),
        ),
        story=(
            "Волонтерка, яка розвозила ліки літнім людям в окупованих селах. Ми розповідаємо її історію під псевдонімом, щоб захистити рідних.",
            "A volunteer who delivered medicine to elderly people in occupied villages. We tell her story under a pseudonym to protect her family.",
            "Волонтёр, развозившая лекарства пожилым людям в оккупированных сёлах. Мы рассказываем её историю под псевдонимом, чтобы защитить родных.",
        ),
        hidden=("court", "detention_place", "home_region", "letters"),
        consent=(G.FAMILY, "2026-03-10", "2026-12-10", ""),
    ),
    Person(
        slug="viktor-tkachenko",
        name=("Віктор Ткаченко", "Viktor Tkachenko", "Виктор Ткаченко"),
        born=1968,
        region="donetsk",
        occupation="mining-engineer",
        status=S.RELEASED,
        detained="2016-08-23",
        released="2022-08-23",
        case="dpr-espionage",
        sentence=("6", R.GENERAL),
        court="dpr-supreme",
        pace=("b-pro-ukrainian", "e-torture"),
        timeline=(
            ("2016-08-23", "search-arrest"),
            ("2017-06-05", "verdict"),
            ("2022-08-23", "release-served"),
            ("2023-01-19", "left-occupation"),
        ),
        story=(
            "Гірничий інженер з Макіївки, який у 2014 році відмовився працювати на окупаційну адміністрацію шахти. Відбув увесь «строк» і виїхав до Києва.",
            "A mining engineer from Makiivka who in 2014 refused to work for the occupation administration of his mine. He served the whole “sentence” and left for Kyiv.",
            "Горный инженер из Макеевки, в 2014 году отказавшийся работать на оккупационную администрацию шахты. Отбыл весь «срок» и уехал в Киев.",
        ),
        consent=(G.PERSON, "2023-02-01", "2027-02-01", "npdr"),
    ),
    Person(
        slug="nataliia-romaniuk",
        name=("Наталія Романюк", "Nataliia Romaniuk", "Наталья Романюк"),
        spellings=(("latin", "Natalia Romaniuk"), ("latin", "Natalya Romanyuk")),
        born=1970,
        region="kherson",
        occupation="village-head-f",
        status=S.DISAPPEARED,
        detained="2022-03-29",
        pace=("b-disappeared",),
        timeline=(
            ("2022-03-29", "soldiers-council"),
            ("2022-11-20", "liberated-no-trace"),
        ),
        story=(
            "Сільська голова, яка відмовилася передати окупантам списки ветеранів і ключі від сільради. Відтоді про її долю нічого не відомо.",
            "A village head who refused to hand the occupiers lists of veterans and the keys to the village council. Her fate has been unknown ever since.",
            "Сельский голова, отказавшаяся передать оккупантам списки ветеранов и ключи от сельсовета. С тех пор о её судьбе ничего не известно.",
        ),
        assessment=(
            "Насильницьке зникнення посадовиці місцевого самоврядування за відмову співпрацювати з окупантами.",
            "The enforced disappearance of a local official for refusing to collaborate with the occupiers.",
            "Насильственное исчезновение представителя местного самоуправления за отказ сотрудничать с оккупантами.",
        ),
        consent=(G.FAMILY, "2022-12-01", "2026-12-01", "npr"),
    ),
    Person(
        slug="dmytro-oliinyk",
        name=("Дмитро Олійник", "Dmytro Oliinyk", "Дмитрий Олейник"),
        spellings=(("latin", "Dmitry Oleinik"),),
        born=1983,
        region="kyiv",
        occupation="volunteer",
        status=S.PRETRIAL,
        detained="2022-03-12",
        case="border-deported",
        court="kursk-district",
        next_hearing="2026-12-18",
        place="sizo-kursk",
        letters=("2026-10-20", L.RUSSIAN, "war", False),
        pace=("b-hostage", "c-conditions"),
        timeline=(
            ("2022-03-12", "evacuation-arrest"),
            ("2022-04-05", "transfer-russia"),
            ("2024-05-20", "charges"),
            ("2026-09-25", "detention-extended"),
        ),
        story=(
            "Волонтер, який власним мікроавтобусом вивозив людей з Гостомеля. Понад чотири роки родина отримує від нього лише кілька листів на рік.",
            "A volunteer who drove people out of Hostomel in his own minibus. For over four years his family has received only a few letters a year.",
            "Волонтёр, на собственном микроавтобусе вывозивший людей из Гостомеля. Больше четырёх лет семья получает от него лишь несколько писем в год.",
        ),
        consent=(G.FAMILY, "2023-01-20", "2027-01-20", "npdr"),
    ),
    Person(
        slug="kateryna-pavliuk",
        name=("Катерина Павлюк", "Kateryna Pavliuk", "Екатерина Павлюк"),
        spellings=(("latin", "Ekaterina Pavlyuk"),),
        born=1987,
        region="zaporizhzhia",
        occupation="engineer-f",
        status=S.SENTENCED,
        detained="2023-06-30",
        case="espionage-occupied",
        sentence=("10", R.GENERAL),
        court="zaporizhzhia-occupied",
        place="colony-women",
        letters=("2026-11-16", L.RUSSIAN, "war", False),
        pace=("b-pro-ukrainian", "c-length", "e-closed-trial"),
        timeline=(
            ("2023-06-30", "workplace-arrest"),
            ("2023-07-14", "charges"),
            ("2025-03-12", "verdict"),
            ("2025-07-09", "appeal-rejected"),
        ),
        story=(
            "Інженерка Запорізької АЕС, яка відмовилася підписати контракт з «Росатомом». Її затримали просто на прохідній станції.",
            "An engineer at the Zaporizhzhia nuclear plant who refused to sign a contract with Rosatom. She was detained at the plant gate.",
            "Инженер Запорожской АЭС, отказавшаяся подписать контракт с «Росатомом». Её задержали прямо на проходной станции.",
        ),
        consent=(G.FAMILY, "2023-09-01", "2027-09-01", "npdr"),
    ),
    Person(
        slug="petro-marchenko",
        name=("Петро Марченко", "Petro Marchenko", "Пётр Марченко"),
        spellings=(("latin", "Pyotr Marchenko"),),
        born=1964,
        region="luhansk",
        occupation="priest",
        status=S.SENTENCED,
        detained="2023-11-20",
        case="priest",
        sentence=("8", R.GENERAL),
        court="south-military",
        place="colony-rostov",
        letters=("2026-09-01", L.RUSSIAN, "religion", False),
        pace=("a-religion", "d-ukrainian"),
        timeline=(
            ("2023-11-20", "church-search"),
            ("2024-10-03", "verdict"),
            ("2025-03-19", "appeal-rejected"),
        ),
        story=(
            "Настоятель парафії ПЦУ в Старобільську, який залишився з парафіянами після окупації. Служив українською, доки храм не опечатали.",
            "Rector of an Orthodox Church of Ukraine parish in Starobilsk who stayed with his parishioners after the occupation. He celebrated in Ukrainian until the church was sealed.",
            "Настоятель прихода ПЦУ в Старобельске, оставшийся с прихожанами после оккупации. Служил на украинском, пока храм не опечатали.",
        ),
        consent=(G.FAMILY, "2024-01-15", "2027-01-15", "npdr"),
    ),
    Person(
        slug="svitlana-horbenko",
        name=("Світлана Горбенко", "Svitlana Horbenko", "Светлана Горбенко"),
        spellings=(("latin", "Svetlana Gorbenko"),),
        born=1982,
        region="crimea",
        occupation="singer-f",
        status=S.RELEASED,
        detained="2023-04-07",
        released="2025-04-07",
        case="songs",
        sentence=("2", R.SETTLEMENT),
        court="simferopol-district",
        pace=("a-expression", "d-ukrainian"),
        timeline=(
            ("2023-04-07", "cafe-arrest"),
            ("2023-09-26", "verdict"),
            ("2025-04-07", "release-served"),
        ),
        story=(
            "Співачка з Ялти, яка заспівала в кафе «Червону руту». Після звільнення виїхала з Криму.",
            "A singer from Yalta who sang “Chervona Ruta” in a café. After her release she left Crimea.",
            "Певица из Ялты, спевшая в кафе «Червону руту». После освобождения уехала из Крыма.",
        ),
        consent=(G.PERSON, "2025-05-01", "2027-05-01", "npdr"),
    ),
    Person(
        slug="yevhen-zinchenko",
        name=("Євген Зінченко", "Yevhen Zinchenko", "Евгений Зинченко"),
        spellings=(("latin", "Evgeny Zinchenko"), ("latin", "Yevgeniy Zinchenko")),
        born=1995,
        region="kharkiv",
        occupation="volunteer",
        status=S.EXCHANGED,
        detained="2022-05-06",
        released="2025-05-23",
        case="espionage-occupied",
        pace=("b-hostage", "e-torture"),
        timeline=(
            ("2022-05-06", "checkpoint-arrest"),
            ("2022-07-18", "transfer-russia"),
            ("2023-03-02", "charges"),
            ("2025-05-23", "release-exchange"),
        ),
        story=(
            "Волонтер з Балаклії, який возив гуманітарну допомогу через лінію фронту. Повернувся додому в обміні після трьох років полону.",
            "A volunteer from Balakliia who drove humanitarian aid across the front line. He came home in an exchange after three years in captivity.",
            "Волонтёр из Балаклеи, возивший гуманитарную помощь через линию фронта. Вернулся домой в обмене после трёх лет плена.",
        ),
        consent=(G.PERSON, "2025-06-10", "2027-06-10", "npdr"),
    ),
    Person(
        slug="roman-didenko",
        name=("Роман Діденко", "Roman Didenko", "Роман Диденко"),
        born=1980,
        region="kherson",
        occupation="electrician",
        status=S.SENTENCED,
        detained="2024-01-16",
        case="treason-passport",
        sentence=("13", R.STRICT),
        court="kherson-occupied",
        place="colony-rostov",
        letters=("2026-10-01", L.RUSSIAN, "war", True),
        pace=("b-pro-ukrainian", "c-length", "e-closed-trial"),
        timeline=(
            ("2024-01-16", "search-arrest"),
            ("2024-01-18", "charges"),
            ("2025-06-24", "verdict"),
            ("2025-11-13", "appeal-rejected"),
            ("2026-02-20", "transfer-colony"),
        ),
        story=(
            "Електрик з Нової Каховки, який після руйнування греблі відновлював світло в домівках сусідів. Листи до нього зараз не доходять.",
            "An electrician from Nova Kakhovka who restored power to neighbours' homes after the dam was destroyed. Letters are not reaching him at the moment.",
            "Электрик из Новой Каховки, после разрушения плотины восстанавливавший свет в домах соседей. Письма к нему сейчас не доходят.",
        ),
        consent=(G.FAMILY, "2024-03-01", "2027-03-01", "npdr"),
    ),
    Person(
        slug="anton-sokolov",
        name=("Антон Соколов", "Anton Sokolov", "Антон Соколов"),
        born=1992,
        region="russia",
        occupation="musician",
        status=S.SENTENCED,
        detained="2023-05-27",
        case="concert",
        sentence=("7", R.GENERAL),
        court="spb-district",
        place="colony-mordovia",
        letters=("2026-09-15", L.RUSSIAN, "war", False),
        pace=("a-expression", "c-conditions"),
        timeline=(
            ("2023-05-27", "stage-arrest"),
            ("2024-02-08", "verdict"),
            ("2024-06-19", "appeal-rejected"),
        ),
        story=(
            "Рок-музикант із Санкт-Петербурга, який попросив зі сцени хвилину мовчання за загиблими в Маріуполі.",
            "A rock musician from St Petersburg who asked his audience for a minute's silence for the dead of Mariupol.",
            "Рок-музыкант из Санкт-Петербурга, попросивший со сцены минуту молчания в память о погибших в Мариуполе.",
        ),
        consent=(G.LAWYER, "2024-03-01", "2027-03-01", "npdr"),
    ),
    Person(
        slug="daria-volkova",
        name=("Дар'я Волкова", "Daria Volkova", "Дарья Волкова"),
        spellings=(("latin", "Darya Volkova"),),
        born=1996,
        region="russia",
        occupation="barista",
        status=S.SENTENCED,
        detained="2024-09-03",
        case="treason-donation",
        sentence=("12", R.GENERAL),
        court="sverdlovsk-regional",
        place="colony-women",
        letters=("2026-08-10", L.RUSSIAN, "case", False),
        pace=("c-length", "e-closed-trial"),
        timeline=(
            ("2024-09-03", "airport-arrest"),
            ("2024-09-05", "charges"),
            ("2025-08-14", "verdict"),
            ("2026-01-22", "appeal-rejected"),
        ),
        story=(
            "Бариста з Єкатеринбурга, яка переказала кілька тисяч рублів на аптечки для українських лікарень.",
            "A barista from Yekaterinburg who transferred a few thousand roubles for first-aid kits for Ukrainian hospitals.",
            "Бариста из Екатеринбурга, перечислившая несколько тысяч рублей на аптечки для украинских больниц.",
        ),
        hidden=("birth_year",),
        consent=(G.LAWYER, "2025-09-01", "2027-09-01", "nd"),
    ),
    Person(
        slug="pavel-gurov",
        name=("Павло Гуров", "Pavel Gurov", "Павел Гуров"),
        born=1985,
        region="russia",
        occupation="journalist",
        status=S.WANTED_ABROAD,
        case="journalist-absentia",
        court="moscow-basmanny",
        interpol=(
            N.DIFFUSION,
            C.DATA_DELETED,
            (
                "У 2025 році Комісія визнала запит таким, що порушує статтю 3 Статуту Інтерполу; дані видалено.",
                "In 2025 the Commission found the request in breach of Article 3 of INTERPOL's Constitution; the data were deleted.",
                "В 2025 году Комиссия признала запрос нарушающим статью 3 Устава Интерпола; данные удалены.",
            ),
        ),
        asylum=("germany", Y.GRANTED),
        pace=("a-expression", "e-interpol"),
        timeline=(
            ("2022-10-05", "case-opened"),
            ("2023-01-17", "in-absentia"),
            ("2023-06-02", "interpol-circulated"),
            ("2024-02-12", "ccf-complaint"),
            ("2025-04-30", "ccf-deleted"),
        ),
        story=(
            "Журналіст-розслідувач, який виїхав з Росії у 2022 році й далі пише про воєнні злочини з Берліна.",
            "An investigative journalist who left Russia in 2022 and goes on reporting on war crimes from Berlin.",
            "Журналист-расследователь, уехавший из России в 2022 году и продолжающий писать о военных преступлениях из Берлина.",
        ),
        consent=(G.PERSON, "2024-01-10", "2027-01-10", "npdr"),
    ),
    Person(
        slug="aliaksandr-kazlou",
        name=("Олександр Козлов", "Aliaksandr Kazlou", "Александр Козлов"),
        spellings=(("other", "Аляксандр Казлоў"), ("latin", "Alexander Kozlov")),
        born=1988,
        region="belarus",
        occupation="programmer",
        status=S.WANTED_ABROAD,
        detained="2025-08-19",
        released="2025-10-02",
        case="belarus-absentia",
        court="belgrade-higher",
        next_hearing="2026-12-14",
        interpol=(N.RED_NOTICE, C.PENDING, None),
        extradition=("belarus", X.IN_COURT),
        pace=("a-assembly", "e-interpol"),
        timeline=(
            ("2021-03-02", "case-opened"),
            ("2023-05-11", "interpol-circulated"),
            ("2025-08-19", "red-notice-arrest"),
            ("2025-10-02", "release-bail"),
            ("2025-11-06", "ccf-complaint"),
        ),
        story=(
            "Програміст з Гомеля, який у 2020 році ходив на мирні марші, а потім переїхав до Варшави. Його затримали в Белграді, куди він прилетів на весілля друга.",
            "A software developer from Homel who joined the peaceful marches of 2020 and later moved to Warsaw. He was detained in Belgrade, where he had flown for a friend's wedding.",
            "Программист из Гомеля, в 2020 году ходивший на мирные марши, а потом переехавший в Варшаву. Его задержали в Белграде, куда он прилетел на свадьбу друга.",
        ),
        consent=(G.PERSON, "2025-10-20", "2026-10-20", "npdr"),
    ),
    Person(
        slug="volha-sidarenka",
        name=("Ольга Сидоренко", "Volha Sidarenka", "Ольга Сидоренко"),
        spellings=(("other", "Вольга Сідарэнка"), ("latin", "Olga Sidorenko")),
        born=1979,
        region="belarus",
        occupation="teacher-f",
        status=S.WANTED_ABROAD,
        case="belarus-extremist",
        court="vitsebsk-regional",
        sis=(
            "Запис про заборону в'їзду внесла одна з держав Шенгену на підставі даних, отриманих від Білорусі; його оскаржують у суді.",
            "An entry-ban alert entered by a Schengen state on the basis of information received from Belarus; it is being challenged in court.",
            "Запись о запрете въезда внесла одна из стран Шенгена на основании данных, полученных от Беларуси; её оспаривают в суде.",
        ),
        extradition=("belarus", X.REQUESTED),
        asylum=("lithuania", Y.APPEAL),
        pace=("a-expression", "e-absentia"),
        timeline=(
            ("2022-11-15", "case-opened"),
            ("2023-05-30", "in-absentia"),
            ("2024-03-08", "sis-alert"),
            ("2024-04-01", "asylum-applied"),
            ("2025-02-18", "asylum-refused"),
        ),
        story=(
            "Вчителька з Вітебська, звільнена за підпис під відкритим листом освітян. Живе у Вільнюсі й веде уроки білоруської для дітей емігрантів.",
            "A teacher from Vitsebsk, dismissed for signing an open letter of educators. She lives in Vilnius and teaches Belarusian to émigré children.",
            "Учительница из Витебска, уволенная за подпись под открытым письмом педагогов. Живёт в Вильнюсе и ведёт уроки белорусского для детей эмигрантов.",
        ),
        consent=(G.PERSON, "2024-05-01", "2027-05-01", "npdr"),
    ),
    Person(
        slug="ilia-belov",
        name=("Ілля Бєлов", "Ilia Belov", "Илья Белов"),
        spellings=(("latin", "Ilya Belov"),),
        born=1994,
        region="russia",
        occupation="activist",
        status=S.WANTED_ABROAD,
        detained="2024-06-11",
        released="2024-08-02",
        case="antiwar-absentia",
        court="podgorica-high",
        interpol=(
            N.DIFFUSION,
            C.REJECTED,
            (
                "Комісія відхилила скаргу: дані залишаються у файлах Інтерполу.",
                "The Commission rejected the complaint: the data remain in INTERPOL's files.",
                "Комиссия отклонила жалобу: данные остаются в файлах Интерпола.",
            ),
        ),
        extradition=("russia", X.REFUSED),
        asylum=("france", Y.APPLIED),
        meets_pace=False,
        assessment=(
            "У 2025 році мережа переглянула справу: Ілля публічно закликав до насильства проти цивільних, тож більше не відповідає критеріям ПАРЄ. Профіль залишено як запис про переслідування через Інтерпол.",
            "In 2025 the network reviewed the case: Ilia publicly called for violence against civilians, so he no longer meets the PACE criteria. The profile stays as a record of the INTERPOL proceedings.",
            "В 2025 году сеть пересмотрела дело: Илья публично призывал к насилию против мирных жителей, поэтому больше не соответствует критериям ПАСЕ. Профиль оставлен как запись о преследовании через Интерпол.",
        ),
        pace=("e-interpol",),
        timeline=(
            ("2022-03-20", "case-opened"),
            ("2022-09-14", "in-absentia"),
            ("2024-06-11", "border-arrest"),
            ("2024-08-02", "extradition-refused"),
            ("2025-07-01", "pace-review"),
        ),
        story=(
            "Активіст з Пермі, який виходив на антивоєнні пікети й виїхав, коли проти нього порушили справу.",
            "An activist from Perm who staged anti-war pickets and left Russia when a criminal case was opened against him.",
            "Активист из Перми, выходивший на антивоенные пикеты и уехавший, когда против него возбудили уголовное дело.",
        ),
        consent=(G.PERSON, "2024-09-01", "2026-09-01", "npdr"),
    ),
    Person(
        slug="eskender-abduraimov",
        name=("Ескендер Абдураїмов", "Eskender Abduraimov", "Эскендер Абдураимов"),
        spellings=(("crh", "Eskender Abduraimov"),),
        born=1987,
        region="crimea",
        occupation="crh-teacher",
        status=S.WANTED_ABROAD,
        case="hizb-absentia",
        interpol=(
            N.DIFFUSION,
            C.NOT_FILED,
            (
                "Скаргу готують юристи мережі.",
                "The network's lawyers are preparing a complaint.",
                "Жалобу готовят юристы сети.",
            ),
        ),
        extradition=("russia", X.WITHDRAWN),
        pace=("a-religion", "d-ethnic"),
        timeline=(
            ("2019-03-27", "searched-while-away"),
            ("2019-06-18", "in-absentia"),
            ("2024-02-05", "extradition-request"),
            ("2025-01-29", "extradition-withdrawn"),
        ),
        story=(
            "Вчитель кримськотатарської мови, який навчав дітей у недільній школі при мечеті. Опинився в розшуку, коли навчався в Стамбулі.",
            "A Crimean Tatar language teacher who taught children at a mosque Sunday school. He was put on the wanted list while studying in Istanbul.",
            "Учитель крымскотатарского языка, преподававший детям в воскресной школе при мечети. Оказался в розыске, когда учился в Стамбуле.",
        ),
        consent=(G.PERSON, "2025-03-01", "2027-03-01", "npdr"),
    ),
    Person(
        slug="denis-orlov",
        name=("Денис Орлов", "Denis Orlov", "Денис Орлов"),
        spellings=(("latin", "Denys Orlov"),),
        born=1990,
        region="russia",
        occupation="photographer",
        status=S.WANTED_ABROAD,
        detained="2025-12-03",
        case="antiwar-absentia",
        court="almaty-district",
        next_hearing="2026-12-21",
        place="sizo-almaty",
        letters=("2026-11-10", L.ANY, "case", False),
        extradition=("russia", X.GRANTED),
        asylum=("kazakhstan", Y.REFUSED),
        pace=("a-expression", "c-extradition"),
        timeline=(
            ("2023-02-10", "case-opened"),
            ("2023-04-05", "in-absentia"),
            ("2025-12-03", "interstate-arrest"),
            ("2026-03-17", "asylum-refused"),
            ("2026-07-08", "extradition-granted"),
        ),
        story=(
            "Фотограф, який знімав антивоєнні акції в Новосибірську. Виїхав до Казахстану, де тепер чекає в СІЗО рішення про видачу.",
            "A photographer who documented anti-war protests in Novosibirsk. He moved to Kazakhstan, where he now awaits an extradition decision in detention.",
            "Фотограф, снимавший антивоенные акции в Новосибирске. Уехал в Казахстан, где теперь ждёт в СИЗО решения об экстрадиции.",
        ),
        consent=(G.PERSON, "2025-12-20", "2026-12-20", "npdr"),
    ),
    Person(
        slug="oleksii-havryliuk",
        name=("Олексій Гаврилюк", "Oleksii Havryliuk", "Алексей Гаврилюк"),
        spellings=(("latin", "Aleksei Gavriliuk"), ("latin", "Oleksiy Gavrylyuk")),
        born=1976,
        region="abroad",
        occupation="lawyer",
        status=S.WANTED_ABROAD,
        case="lawyer-absentia",
        interpol=(
            N.RED_NOTICE,
            C.DATA_DELETED,
            (
                "Комісія визнала «червоне оповіщення» політично мотивованим; дані видалено у 2024 році.",
                "The Commission found the Red Notice politically motivated; the data were deleted in 2024.",
                "Комиссия признала «красное уведомление» политически мотивированным; данные удалены в 2024 году.",
            ),
        ),
        sis=(
            "Запис у ШІС досі чинний, хоча Інтерпол видалив свої дані; подано скаргу до національного бюро SIRENE.",
            "The SIS alert is still in place although INTERPOL deleted its data; a complaint has been lodged with the national SIRENE bureau.",
            "Запись в ШИС всё ещё действует, хотя Интерпол удалил свои данные; подана жалоба в национальное бюро SIRENE.",
        ),
        pace=("a-expression", "e-interpol"),
        timeline=(
            ("2016-05-12", "case-opened"),
            ("2017-02-01", "interpol-circulated"),
            ("2023-03-15", "ccf-complaint"),
            ("2024-01-22", "ccf-deleted"),
            ("2024-09-10", "sis-alert"),
        ),
        story=(
            "Адвокат, який до 2015 року захищав кримських татар у судах окупованого Криму. Тепер живе в Польщі й консультує родини політв'язнів.",
            "A lawyer who defended Crimean Tatars before the courts of occupied Crimea until 2015. He now lives in Poland and advises political prisoners' families.",
            "Адвокат, до 2015 года защищавший крымских татар в судах оккупированного Крыма. Теперь живёт в Польше и консультирует семьи политзаключённых.",
        ),
        consent=(G.PERSON, "2024-02-01", "2027-02-01", "npdr"),
    ),
    Person(
        slug="andrii-k",
        name=("Андрій К.", "Andrii K.", "Андрей К."),
        spellings=(("latin", "Andrei K."),),
        legal_name="Віталій Шамрай",
        born=1979,
        region="zaporizhzhia",
        occupation="driver",
        status=S.SENTENCED,
        detained="2023-09-02",
        case="treason-passport",
        sentence=("15", R.STRICT),
        court="zaporizhzhia-occupied",
        place="colony-mordovia",
        pace=("b-pro-ukrainian", "c-length", "e-torture"),
        timeline=(
            ("2023-09-02", "checkpoint-arrest"),
            ("2024-12-10", "verdict"),
            ("2025-05-28", "appeal-rejected"),
            ("2025-08-14", "transfer-colony"),
        ),
        story=(
            "Водій, який вивозив людей з окупованих сіл до Запоріжжя. Родина просить не називати його справжнього імені: його батьки досі в окупації.",
            "A driver who took people out of occupied villages to Zaporizhzhia. His family asks us not to use his real name: his parents are still under occupation.",
            "Водитель, вывозивший людей из оккупированных сёл в Запорожье. Семья просит не называть его настоящего имени: его родители до сих пор в оккупации.",
        ),
        hidden=("court", "criminal_case", "letters"),
        consent=(G.FAMILY, "2024-02-15", "2027-02-15", "d"),
    ),
    Person(
        slug="olga-m",
        name=("Ольга М.", "Olga M.", "Ольга М."),
        spellings=(("latin", "Olha M."),),
        legal_name="Ксения Дронова",
        born=1990,
        region="russia",
        occupation="nurse",
        status=S.SENTENCED,
        detained="2024-04-22",
        case="denunciation",
        sentence=("5", R.GENERAL),
        court="spb-district",
        place="colony-women",
        pace=("a-expression", "e-denunciation"),
        timeline=(
            ("2024-04-22", "workplace-arrest"),
            ("2025-02-27", "verdict"),
            ("2025-06-05", "appeal-rejected"),
        ),
        story=(
            "Медсестра, яка в розмові з пацієнтами назвала війну війною. Вона попросила розповідати її історію лише під псевдонімом.",
            "A nurse who called the war a war while talking to patients. She asked that her story be told only under a pseudonym.",
            "Медсестра, назвавшая в разговоре с пациентами войну войной. Она попросила рассказывать её историю только под псевдонимом.",
        ),
        hidden=("birth_year", "home_region", "letters"),
        consent=(G.LAWYER, "2024-07-01", "2026-12-31", "d"),
    ),
    Person(
        slug="andrei-shyla",
        name=("Андрій Шило", "Andrei Shyla", "Андрей Шило"),
        spellings=(("other", "Андрэй Шыла"), ("latin", "Andrey Shilo")),
        born=1987,
        region="belarus",
        occupation="photographer",
        status=S.SENTENCED,
        detained="2024-11-14",
        case="belarus-protest",
        sentence=("3", R.GENERAL),
        court="homel-district",
        place="colony-homel",
        letters=("2026-11-05", L.RUSSIAN, "belarus", False),
        pace=("a-assembly", "e-closed-trial"),
        timeline=(
            ("2024-11-14", "search-arrest"),
            ("2025-03-04", "verdict"),
            ("2025-05-20", "transfer-colony"),
        ),
        story=(
            "Фотограф, який у 2020 році знімав мирні марші в Гомелі. Його затримали через чотири роки, коли він повернувся провідати хвору матір.",
            "A photographer who covered the peaceful marches in Homel in 2020. He was arrested four years later when he came back to visit his sick mother.",
            "Фотограф, снимавший мирные марши в Гомеле в 2020 году. Его задержали спустя четыре года, когда он вернулся навестить больную мать.",
        ),
        consent=(G.FAMILY, "2025-01-10", "2027-01-10", "npdr"),
    ),
    Person(
        slug="hanna-l",
        name=("Ганна Л.", "Hanna L.", "Анна Л."),
        spellings=(("latin", "Anna L."),),
        legal_name="Инна Борисевич",
        born=1998,
        region="belarus",
        occupation="student-f",
        status=S.HOUSE_ARREST,
        detained="2026-06-09",
        case="belarus-extremist",
        court="minsk-district",
        next_hearing="2026-12-07",
        pace=("a-expression", "e-closed-trial"),
        timeline=(
            ("2026-06-09", "search-arrest"),
            ("2026-06-11", "house-arrest"),
            ("2026-09-08", "measure-extended"),
        ),
        story=(
            "Студентка, яка у 2021 році задонатила незалежному медіа. Під домашнім арештом вона не може відвідувати заняття.",
            "A student who donated to an independent media outlet in 2021. Under house arrest she cannot attend classes.",
            "Студентка, задонатившая независимому медиа в 2021 году. Под домашним арестом она не может посещать занятия.",
        ),
        hidden=("birth_year", "court"),
        consent=(G.PERSON, "2026-06-30", "2026-12-30", ""),
    ),
]


# Birthdays for the letter-writing month: slug → (month, day, consent to publish).
# Every month has someone who can be written to (a public address verified weeks or
# months before the demo is loaded, letters not blocked); in December some cannot,
# on purpose: letters blocked (enver-kurtumerov, oksana-lysenko, whose address is
# also old and hidden), no consent to publish the birthday (roman-didenko, mariia-n).
BIRTHDAYS: dict[str, tuple[int, int, bool]] = {
    "aider-memetov": (1, 14, True),
    "olena-kovalchuk": (2, 29, True),
    "dmytro-oliinyk": (3, 21, True),
    "mykola-savchuk": (3, 4, True),
    "petro-marchenko": (4, 29, True),
    "anton-sokolov": (5, 8, True),
    "daria-volkova": (6, 17, True),
    "bohdan-kravets": (7, 5, True),
    "andrei-shyla": (8, 23, True),
    "denis-orlov": (9, 2, True),
    "kateryna-pavliuk": (10, 11, True),
    "taras-hnatiuk": (11, 19, True),
    "serhii-petrenko": (12, 12, True),
    "enver-kurtumerov": (12, 3, True),
    "oksana-lysenko": (12, 15, True),
    "roman-didenko": (12, 27, False),
    "mariia-n": (12, 9, False),
}


# --- Loading -----------------------------------------------------------------------


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# The tables' letter-address verifications are dated as of this day. Each is loaded
# at the same distance before the day the demo is loaded, so the letter month stays
# full whenever that is, and an address stale on purpose stays stale.
LETTERS_TABLE_DAY = datetime.date(2026, 12, 1)


def _load_day() -> datetime.date:
    return timezone.localdate()


def _verified_on(value: str | None) -> datetime.date | None:
    if not value:
        return None
    return _load_day() - (LETTERS_TABLE_DAY - _date(value))


def _text(texts: T | None, lang: str) -> str:
    return demo_text(texts, lang, added())


def _translated_snippets(source, locales, update) -> dict:
    """`source` (Ukrainian) and its copies in the other languages, each made once
    with `copy_for_translation` (same translation key) and filled by `update`."""
    found = {"uk": source}
    for lang in locales:
        if lang == "uk":
            continue
        obj = source.get_translation_or_none(locales[lang])
        if obj is None:
            obj = source.copy_for_translation(locales[lang])
            update(obj, lang)
            obj.save()
        found[lang] = obj
    return found


def load_regions(locales) -> dict[str, dict[str, Region]]:
    regions = {}
    for slug, names in REGIONS.items():
        source = Region.objects.filter(locale=locales["uk"], slug=slug).first()
        if source is None:
            source = Region.objects.create(
                locale=locales["uk"], slug=slug, name=_text(names, "uk")
            )

        def update(obj, lang, names=names):
            obj.name = _text(names, lang)

        regions[slug] = _translated_snippets(source, locales, update)
    return regions


def load_articles(locales) -> dict[str, dict[str, CriminalArticle]]:
    articles = {}
    for slug, (code, number, titles) in ARTICLES.items():
        source = CriminalArticle.objects.filter(locale=locales["uk"], slug=slug).first()
        if source is None:
            source = CriminalArticle.objects.create(
                locale=locales["uk"],
                slug=slug,
                code=code,
                number=number,
                title=_text(titles, "uk"),
            )

        def update(obj, lang, titles=titles):
            obj.title = _text(titles, lang)

        articles[slug] = _translated_snippets(source, locales, update)
    return articles


def load_places(locales, regions) -> dict[str, dict[str, DetentionPlace]]:
    places = {}
    for key, (region, names, address) in PLACES.items():
        translation_key = _place_key(key)
        source = DetentionPlace.objects.filter(
            locale=locales["uk"], translation_key=translation_key
        ).first()
        if source is None:
            source = DetentionPlace.objects.create(
                locale=locales["uk"],
                translation_key=translation_key,
                name=_text(names, "uk"),
                region=regions[region]["uk"] if region else None,
                postal_address=address,
            )

        def update(obj, lang, names=names, region=region):
            obj.name = _text(names, lang)
            obj.region = regions[region][lang] if region else None

        places[key] = _translated_snippets(source, locales, update)
    return places


def load_indexes(homes: dict[str, HomePage]) -> dict[str, PrisonerIndexPage]:
    """The register under each home page, the other languages' translations of uk."""
    return load_section(PrisonerIndexPage, homes, slug="prisoners", content=INDEX)


class Snippets:
    def __init__(self, locales):
        self.regions = load_regions(locales)
        self.articles = load_articles(locales)
        self.places = load_places(locales, self.regions)


def _letter_address(person: Person) -> str:
    """As written on the envelope: the place, then surname, name and year of birth
    in Russian. Pseudonyms get none: it would carry the real name."""
    if not person.letters or not person.place or person.legal_name:
        return ""
    first, surname = person.name[2].split(" ", 1)
    return f"{PLACES[person.place][2]}\n{surname} {first}, {person.born} г. р."


def _shared_fields(person: Person) -> dict:
    """The fields that are the same in every language."""
    scopes = person.consent[3]
    verified, language, _, blocked = person.letters or (None, "", "", False)
    case = CASES.get(person.case)
    birth_month, birth_day, birthday_consent = BIRTHDAYS.get(
        person.slug, (None, None, False)
    )
    return {
        "is_fictional": True,
        "is_pseudonym": bool(person.legal_name),
        "legal_name": person.legal_name,
        "birth_year": person.born,
        "birth_month": birth_month,
        "birth_day": birth_day,
        "consent_birthday": birthday_consent,
        "status": person.status,
        "detained_on": _date(person.detained),
        "released_on": _date(person.released),
        "criminal_case_authority": case[0] if case else "",
        "interpol_notice": person.interpol[0] if person.interpol else "",
        "ccf_complaint": person.interpol[1] if person.interpol else "",
        "sis_alert": person.sis is not None,
        "extradition_status": person.extradition[1] if person.extradition else "",
        "asylum_status": person.asylum[1] if person.asylum else "",
        "sentence_years": person.sentence[0] if person.sentence else None,
        "sentence_regime": person.sentence[1] if person.sentence else "",
        "next_hearing_on": _date(person.next_hearing),
        "letter_address": _letter_address(person),
        "letter_address_verified_on": _verified_on(verified),
        "letter_language": language,
        "letters_blocked": blocked,
        "meets_pace_criteria": person.meets_pace,
        "consent_given_by": person.consent[0],
        "consent_given_on": _date(person.consent[1]),
        "consent_review_on": _date(person.consent[2]),
        "consent_name": "n" in scopes,
        "consent_photo": "p" in scopes,
        "consent_detention_place": "d" in scopes,
        "consent_relatives": "r" in scopes,
        "consent_notes": (
            "Псевдонім на прохання родини або самої людини; справжнє ім'я не "
            "публікувати."
            if person.legal_name
            else ""
        ),
        "hidden_fields": encode_hidden(person.hidden),
    }


def _language_fields(person: Person, lang: str, snippets: Snippets) -> dict:
    """The fields written in (or pointing to snippets in) one language."""
    case = CASES.get(person.case)
    interpol_outcome = person.interpol[2] if person.interpol else None
    return {
        "title": _text(person.name, lang),
        "occupation": _text(OCCUPATIONS[person.occupation], lang),
        "story": f"<p>{_text(person.story, lang)}</p>",
        "relatives_note": _text(person.relatives, lang),
        "case_summary": _text(case[2], lang) if case else "",
        "assessment_summary": _text(person.assessment or (case and case[3]), lang),
        "court": _text(COURTS.get(person.court), lang),
        "ccf_outcome": _text(interpol_outcome, lang),
        "sis_alert_details": _text(person.sis, lang),
        "extradition_requested_by": (
            _text(COUNTRIES[person.extradition[0]], lang) if person.extradition else ""
        ),
        "asylum_country": (
            _text(COUNTRIES[person.asylum[0]], lang) if person.asylum else ""
        ),
        "letter_topics_to_avoid": (
            _text(TOPICS[person.letters[2]], lang) if person.letters else ""
        ),
        "home_region": snippets.regions[person.region][lang] if person.region else None,
        "detention_place": (
            snippets.places[person.place][lang] if person.place else None
        ),
    }


def _articles(person: Person, lang: str, snippets: Snippets) -> list:
    case = CASES.get(person.case)
    return [snippets.articles[slug][lang] for slug in case[1]] if case else []


def _spellings(person: Person) -> list[tuple[str, str]]:
    uk, latin, ru = person.name
    spellings = [("uk", uk), ("ru", ru), ("latin", latin), *person.spellings]
    return list(dict.fromkeys(spellings))


def load_profile(person: Person, indexes, snippets: Snippets) -> PrisonerPage:
    """The person's page in Ukrainian, then its translations into the languages of
    `indexes`."""
    source = PrisonerPage.objects.child_of(indexes["uk"]).filter(slug=person.slug)
    page = source.first()
    if page is None:
        page = PrisonerPage(
            slug=person.slug,
            locale=indexes["uk"].locale,
            **_shared_fields(person),
            **_language_fields(person, "uk", snippets),
        )
        for script, name in _spellings(person):
            page.spellings.add(AlternativeName(script=script, name=name))
        for order, key in enumerate(person.pace):
            page.pace_criteria.add(
                PaceCriterionEvidence(
                    sort_order=order, criterion=key[0], evidence=EVIDENCE[key][0]
                )
            )
        for order, (day, key) in enumerate(person.timeline):
            kind, texts = EVENTS[key]
            page.timeline_events.add(
                TimelineEvent(
                    sort_order=order,
                    date=_date(day),
                    kind=kind,
                    description=_text(texts, "uk"),
                )
            )
        page.criminal_articles.set(_articles(person, "uk", snippets))
        indexes["uk"].add_child(instance=page)
        page.save_revision().publish()

    for lang in indexes:
        if lang == "uk" or page.get_translation_or_none(indexes[lang].locale):
            continue
        # The copy is saved (as a draft) under the translation of the page's parent,
        # with the same slug and translation key, the inline rows copied and the
        # many-to-many still pointing to the Ukrainian snippets.
        copy = page.copy_for_translation(indexes[lang].locale)
        translated = PrisonerPage.objects.get(pk=copy.pk)
        for field, value in _language_fields(person, lang, snippets).items():
            setattr(translated, field, value)
        translated.criminal_articles.set(_articles(person, lang, snippets))
        evidence = list(translated.pace_criteria.order_by("sort_order"))
        for row, key in zip(evidence, person.pace, strict=True):
            row.evidence = _text(EVIDENCE[key], lang)
        translated.pace_criteria = evidence
        events = list(translated.timeline_events.order_by("sort_order"))
        for row, (_, key) in zip(events, person.timeline, strict=True):
            row.description = _text(EVENTS[key][1], lang)
        translated.timeline_events = events
        translated.save()
        translated.save_revision().publish()
    return page


def load_prisoners(homes: dict[str, HomePage]) -> dict[str, PrisonerIndexPage]:
    """Regions, articles, places, the register and every demo profile in each
    language of `homes`. Returns the register page of each language."""
    with transaction.atomic():
        locales: dict[str, Locale] = {lang: home.locale for lang, home in homes.items()}
        snippets = Snippets(locales)
        indexes = load_indexes(homes)
        for person in PEOPLE:
            load_profile(person, indexes, snippets)
    return indexes
