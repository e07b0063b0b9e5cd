"""Demo content for campaigns and joint statements: themes, the campaign list and the
statement list, six campaigns and two statements in Ukrainian, English and Russian
(the tables) and in Belarusian and Crimean Tatar (demo_be.json, demo_crh.json; see
home.demo_languages), with signatures.

Every campaign is about INVENTED people from `prisoners.demo`; every signer is
invented too (placeholder names such as "Erika Mustermann" or "Jan Kowalski",
organisations named "Example ..." or "Demo ..."). Demo signatures are stored as
confirmed, with no email address: only the keyed digest that stops double signing.

`load_campaigns()` is idempotent: themes are found by slug, pages by slug under their
parent, translations through their translation key, signatures by statement, kind
and name. What already exists is left as it is.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from campaigns.choices import CampaignStatus, SignatureStatus, SignerKind, WhoMaySign
from campaigns.models import (
    CampaignIndexPage,
    CampaignPage,
    CampaignPrisoner,
    CampaignTheme,
    CampaignUpdate,
    Signature,
    StatementIndexPage,
    StatementPage,
)
from campaigns.services import email_digest
from home.demo import load_section
from home.demo_languages import demo_text
from home.illustrations import demo_illustration
from home.models import HomePage
from prisoners.demo import T
from prisoners.models import PrisonerIndexPage, PrisonerPage

from .demo_be_crh import added

# A placeholder address: the video block links to it and loads nothing by itself.
DEMO_VIDEO_URL = "https://www.youtube.com/watch?v=XXXXXXXXXXX"

# --- Snippets ----------------------------------------------------------------------

THEMES: dict[str, T] = {
    "interpol-abuse": (
        "Зловживання Інтерполом",
        "INTERPOL abuse",
        "Злоупотребление Интерполом",
    ),
    "crimean-tatars": ("Кримські татари", "Crimean Tatars", "Крымские татары"),
    "journalists": ("Журналісти", "Journalists", "Журналисты"),
    "civilians": (
        "Цивільні на окупованих територіях",
        "Civilians in occupied territories",
        "Мирные жители на оккупированных территориях",
    ),
    "belarus": ("Білорусь", "Belarus", "Беларусь"),
}

# --- Index pages -------------------------------------------------------------------

# model: (slug, {lang: (title, intro)})
INDEXES: dict[type[Page], tuple[str, dict[str, tuple[str, str]]]] = {
    CampaignIndexPage: (
        "campaigns",
        {
            "uk": (
                "Кампанії",
                "Публічні кампанії мережі на захист конкретних людей: підписуйте "
                "заяви, пишіть листи, підтримуйте захист. Усі кампанії на цьому "
                "демонстраційному сайті вигадані.",
            ),
            "en": (
                "Campaigns",
                "The network's public campaigns for particular people: sign the "
                "statements, write letters, support the defence. Every campaign on "
                "this demonstration site is fictional.",
            ),
            "ru": (
                "Кампании",
                "Публичные кампании сети в защиту конкретных людей: подписывайте "
                "заявления, пишите письма, поддерживайте защиту. Все кампании на "
                "этом демонстрационном сайте вымышлены.",
            ),
            "be": (
                "Кампаніі",
                "Публічныя кампаніі сеткі ў абарону канкрэтных людзей: падпісвайце "
                "заявы, пішыце лісты, падтрымлівайце абарону. Усе кампаніі на гэтым "
                "дэманстрацыйным сайце выдуманыя.",
            ),
            "crh": (
                "Kampaniyalar",
                "Şebekeniñ belli insanlarnı qorçalamaq içün açıq kampaniyaları: "
                "beyanatlarnı imzalañız, mektüpler yazıñız, qorunuvnı destekleñiz. Bu "
                "numayış saytındaki bütün kampaniyalar uydurılğan.",
            ),
        },
    ),
    StatementIndexPage: (
        "statements",
        {
            "uk": (
                "Спільні заяви",
                "Заяви, які підписують організації та люди. Підпис зараховується "
                "після підтвердження електронної адреси.",
            ),
            "en": (
                "Joint statements",
                "Statements signed by organisations and people. A signature counts "
                "once its email address is confirmed.",
            ),
            "ru": (
                "Совместные заявления",
                "Заявления, которые подписывают организации и люди. Подпись "
                "засчитывается после подтверждения электронного адреса.",
            ),
            "be": (
                "Сумесныя заявы",
                "Заявы, якія падпісваюць арганізацыі і людзі. Подпіс залічваецца "
                "пасля пацвярджэння адраса электроннай пошты.",
            ),
            "crh": (
                "Müşterek beyanatlar",
                "Teşkilâtlar ve insanlar imzalağan beyanatlar. İmza elektron poçta "
                "adresi tasdiqlengen soñ sayıla.",
            ),
        },
    ),
}

# --- Signers -----------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    kind: str
    name: str
    country: str
    language: str = "en"
    website: str = ""
    show_name: bool = True
    approved: bool = True


def org(name, country, language="en", website="", approved=True) -> Signer:
    return Signer(
        SignerKind.ORGANISATION, name, country, language, website, True, approved
    )


def person(name, country, language="en", show_name=True) -> Signer:
    return Signer(SignerKind.INDIVIDUAL, name, country, language, "", show_name)


ORGANISATIONS = [
    org(
        "Правозахисна група «Вигаданий маяк»",
        "UA",
        "uk",
        "https://example.org/vyhadanyi-maiak",
    ),
    org("Example Rights Watch", "GB", website="https://example.org/rights-watch"),
    org("Demo Press Freedom Centre", "DE", website="https://example.org/press-freedom"),
    org("Fundacja Przykładowa na rzecz Praw Człowieka", "PL"),
    org("Stichting Voorbeeld Mensenrechten", "NL", website="https://example.org/nl"),
    org("Association Exemple pour les libertés", "FR"),
    org("Imaginary Committee Against Torture", "SE", website="https://example.org/ict"),
    org("Placeholder Asylum Support Network", "IE"),
    org("Правозащитный центр «Вымышленный пример»", "LV", "ru"),
    org("Demo Legal Aid Collective", "CH", website="https://example.org/legal-aid"),
    org("Pavyzdinė teisių gynimo grupė", "LT"),
    org("Ukázková iniciativa za svobodu", "CZ"),
    org("Asociación Ejemplo de Derechos Humanos", "ES"),
    org("Example Media Defence Fund", "US", website="https://example.org/media"),
    org("Громадська ініціатива «Умовний Херсон»", "UA", "uk"),
    org("Sample Bar Association for Exiles", "EE"),
    org("Ассоциация «Условные адвокаты»", "AM", "ru"),
    org("Demo Diaspora Council", "CA", website="https://example.org/diaspora"),
    org("Esimerkki Human Rights Union", "FI"),
]

# Confirmed, counted, but not yet approved by a moderator: not shown publicly.
AWAITING_APPROVAL = org("Unverified Example Group", "CY", approved=False)

INDIVIDUALS = [
    person("Erika Mustermann", "DE"),
    person("Jan Kowalski", "PL"),
    person("John Doe", "GB"),
    person("Mario Rossi", "IT"),
    person("Jan Novák", "CZ"),
    person("Matti Meikäläinen", "FI"),
    person("Kari Nordmann", "NO"),
    person("Jonas Jonaitis", "LT"),
    person("Fulano de Tal", "PT"),
    person("Jan Jansen", "NL"),
    person("Іван Вигаданий", "UA", "uk"),
    person("Ольга Умовна", "UA", "uk"),
    person("Пётр Примеров", "GE", "ru"),
    # Signed without a public name.
    person("Олена Приклад", "UA", "uk", show_name=False),
    person("Мария Образцова", "RU", "ru", show_name=False),
    person("Jane Doe", "US", show_name=False),
    person("Juan Pérez", "ES", show_name=False),
]

# --- Statements --------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    slug: str
    title: T
    body: tuple[T, ...]  # paragraphs (HTML inside <p>)
    who_may_sign: str
    signers: tuple[Signer, ...]
    closes_in_days: int | None = None  # from when it is first loaded


FICTION_NOTE: T = (
    "<em>Демонстраційна заява: люди, про яких вона, і всі підписанти вигадані.</em>",
    "<em>A demonstration statement: the people it concerns and all its signatories "
    "are fictional.</em>",
    "<em>Демонстрационное заявление: люди, о которых оно, и все подписавшие "
    "вымышлены.</em>",
)

STATEMENTS: dict[str, Statement] = {
    "extraditions": Statement(
        slug="stop-politically-motivated-extraditions",
        title=(
            "Зупиніть політично мотивовані видачі",
            "Stop politically motivated extraditions",
            "Остановите политически мотивированные выдачи",
        ),
        body=(
            (
                "Ми, організації та люди, що підписалися нижче, закликаємо держави "
                "Європи та Центральної Азії не видавати Росії та Білорусі людей, "
                "яких там переслідують за мирне висловлювання думок, віру чи "
                "журналістику.",
                "We, the undersigned organisations and people, call on the states "
                "of Europe and Central Asia not to hand over to Russia and Belarus "
                "people persecuted there for peaceful expression, faith or "
                "journalism.",
                "Мы, нижеподписавшиеся организации и люди, призываем государства "
                "Европы и Центральной Азии не выдавать России и Беларуси людей, "
                "которых там преследуют за мирное выражение мнений, веру или "
                "журналистику.",
            ),
            (
                "Закликаємо Інтерпол перевіряти запити цих держав на відповідність "
                "статті 3 свого Статуту й видаляти дані політичного характеру.",
                "We call on INTERPOL to check these states' requests against Article "
                "3 of its Constitution and to delete data of a political character.",
                "Призываем Интерпол проверять запросы этих государств на "
                "соответствие статье 3 своего Устава и удалять данные политического "
                "характера.",
            ),
            FICTION_NOTE,
        ),
        who_may_sign=WhoMaySign.BOTH,
        closes_in_days=120,
        signers=(*ORGANISATIONS[:12], AWAITING_APPROVAL, *INDIVIDUALS),
    ),
    "civilians": Statement(
        slug="free-the-civilian-hostages",
        title=(
            "Звільніть цивільних заручників",
            "Free the civilian hostages",
            "Освободите гражданских заложников",
        ),
        body=(
            (
                "Росія утримує тисячі цивільних українців: вчителів, лікарів, "
                "волонтерів, пенсіонерів. Їх затримують на окупованих територіях, "
                "вивозять до Росії та судять за «шпигунство» і «зраду».",
                "Russia holds thousands of Ukrainian civilians: teachers, doctors, "
                "volunteers, pensioners. They are detained in the occupied "
                "territories, taken to Russia and tried for “espionage” and "
                "“treason”.",
                "Россия удерживает тысячи украинских гражданских: учителей, врачей, "
                "волонтёров, пенсионеров. Их задерживают на оккупированных "
                "территориях, вывозят в Россию и судят за «шпионаж» и «измену».",
            ),
            (
                "Ми, організації, що підписалися нижче, вимагаємо їхнього "
                "безумовного звільнення, доступу незалежних спостерігачів до місць "
                "утримання та включення цивільних до кожного обміну.",
                "We, the undersigned organisations, demand their unconditional "
                "release, access for independent monitors to the places where they "
                "are held, and the inclusion of civilians in every exchange.",
                "Мы, нижеподписавшиеся организации, требуем их безусловного "
                "освобождения, доступа независимых наблюдателей к местам содержания "
                "и включения гражданских в каждый обмен.",
            ),
            FICTION_NOTE,
        ),
        who_may_sign=WhoMaySign.ORGANISATIONS,
        signers=tuple(ORGANISATIONS),
    ),
}

# --- Campaigns ---------------------------------------------------------------------


@dataclass(frozen=True)
class Campaign:
    slug: str
    title: T
    theme: str
    status: str
    people: tuple[str, ...]  # slugs in prisoners.demo
    summary: T
    paragraphs: tuple[T, ...]
    quote: tuple[T, T]  # text, who said it
    goal: int  # whole euros
    ends_on: str
    updates: tuple[tuple[str, T, T], ...]  # date, title, text
    video: T | None = None  # its title; the address is DEMO_VIDEO_URL
    statement: str | None = None  # a key of STATEMENTS, signed as a child page


CAMPAIGN_NOTE: T = (
    "<em>Усі люди в цій кампанії вигадані: вона показує, як працює справжня.</em>",
    "<em>Everyone in this campaign is fictional: it shows how a real one works.</em>",
    "<em>Все люди в этой кампании вымышлены: она показывает, как работает "
    "настоящая.</em>",
)

CAMPAIGNS: list[Campaign] = [
    Campaign(
        slug="no-extradition-for-dissent",
        title=(
            "Не видавати за інакодумство",
            "No extradition for dissent",
            "Не выдавать за инакомыслие",
        ),
        theme="interpol-abuse",
        status=CampaignStatus.ACTIVE,
        people=("aliaksandr-kazlou", "denis-orlov", "eskender-abduraimov"),
        summary=(
            "Росія та Білорусь розшукують через Інтерпол людей, які виїхали від "
            "переслідувань. Просимо суди Сербії та Казахстану не видавати "
            "Олександра Козлова й Дениса Орлова, а Інтерпол — видалити дані про "
            "Ескендера Абдураїмова.",
            "Russia and Belarus hunt people who fled persecution through INTERPOL. "
            "We ask the courts of Serbia and Kazakhstan not to hand over Aliaksandr "
            "Kazlou and Denis Orlov, and INTERPOL to delete its data on Eskender "
            "Abduraimov.",
            "Россия и Беларусь разыскивают через Интерпол людей, уехавших от "
            "преследований. Просим суды Сербии и Казахстана не выдавать Александра "
            "Козлова и Дениса Орлова, а Интерпол — удалить данные об Эскендере "
            "Абдураимове.",
        ),
        paragraphs=(
            (
                "Олександра Козлова затримали в Белграді за «червоним оповіщенням» "
                "Білорусі. Денис Орлов чекає в СІЗО Алмати рішення про видачу до "
                "Росії. Ескендер Абдураїмов не може подорожувати, поки запит проти "
                "нього лишається у файлах Інтерполу.",
                "Aliaksandr Kazlou was detained in Belgrade on a Red Notice from "
                "Belarus. Denis Orlov awaits a decision on his extradition to Russia "
                "in a detention centre in Almaty. Eskender Abduraimov cannot travel "
                "while a request against him stays in INTERPOL's files.",
                "Александра Козлова задержали в Белграде по «красному уведомлению» "
                "Беларуси. Денис Орлов ждёт в СИЗО Алматы решения о выдаче в Россию. "
                "Эскендер Абдураимов не может путешествовать, пока запрос против "
                "него остаётся в файлах Интерпола.",
            ),
            (
                "Стаття 3 Статуту Інтерполу забороняє будь-яке втручання політичного "
                "характеру. Ми допомагаємо подавати скарги до Комісії з контролю "
                "файлів Інтерполу й захищаємо кожного в судах про видачу.",
                "Article 3 of INTERPOL's Constitution forbids any intervention of a "
                "political character. We help each of them complain to the "
                "Commission for the Control of INTERPOL's Files and defend them in "
                "extradition courts.",
                "Статья 3 Устава Интерпола запрещает любое вмешательство "
                "политического характера. Мы помогаем подавать жалобы в Комиссию по "
                "контролю за файлами Интерпола и защищаем каждого в судах об "
                "экстрадиции.",
            ),
        ),
        quote=(
            (
                "Я поїхав, щоб не сісти за слова. Тепер мене хочуть повернути за ті "
                "самі слова.",
                "I left so as not to be jailed for my words. Now they want me back "
                "for the same words.",
                "Я уехал, чтобы не сесть за слова. Теперь меня хотят вернуть за те "
                "же слова.",
            ),
            (
                "Денис Орлов (вигадана людина)",
                "Denis Orlov (a fictional person)",
                "Денис Орлов (вымышленный человек)",
            ),
        ),
        video=(
            "Як оскаржити запит Інтерполу: пояснює юристка (демо)",
            "How to challenge an INTERPOL request: a lawyer explains (demo)",
            "Как обжаловать запрос Интерпола: объясняет юрист (демо)",
        ),
        goal=15000,
        ends_on="2027-03-31",
        updates=(
            (
                "2025-11-06",
                (
                    "Скаргу Олександра Козлова подано до Комісії",
                    "Aliaksandr Kazlou's complaint filed with the Commission",
                    "Жалоба Александра Козлова подана в Комиссию",
                ),
                (
                    "Комісія з контролю файлів Інтерполу зареєструвала скаргу на "
                    "«червоне оповіщення».",
                    "The Commission for the Control of INTERPOL's Files has "
                    "registered the complaint against the Red Notice.",
                    "Комиссия по контролю за файлами Интерпола зарегистрировала "
                    "жалобу на «красное уведомление».",
                ),
            ),
            (
                "2026-07-08",
                (
                    "Суд в Алмати дозволив видачу Дениса Орлова",
                    "Almaty court allows Denis Orlov's extradition",
                    "Суд в Алматы разрешил выдачу Дениса Орлова",
                ),
                (
                    "Адвокати оскаржили рішення; видачу зупинено до розгляду апеляції.",
                    "His lawyers have appealed; the extradition is on hold until the "
                    "appeal is heard.",
                    "Адвокаты обжаловали решение; выдача приостановлена до "
                    "рассмотрения апелляции.",
                ),
            ),
            (
                "2026-11-16",
                (
                    "Наступне засідання в Белграді — 14 грудня",
                    "Next hearing in Belgrade on 14 December",
                    "Следующее заседание в Белграде — 14 декабря",
                ),
                (
                    "Приходьте підтримати Олександра або підпишіть спільну заяву.",
                    "Come and support Aliaksandr, or sign the joint statement.",
                    "Приходите поддержать Александра или подпишите совместное "
                    "заявление.",
                ),
            ),
        ),
        statement="extraditions",
    ),
    Campaign(
        slug="faith-is-not-terrorism",
        title=("Віра — не тероризм", "Faith is not terrorism", "Вера — не терроризм"),
        theme="crimean-tatars",
        status=CampaignStatus.ACTIVE,
        people=("aider-memetov", "zarema-bekirova", "rustem-yakubov"),
        summary=(
            "Окупаційна влада Криму переслідує кримських татар як «терористів» за "
            "молитву й дописи. Збираємо на адвокатів, передачі та поїздки родин на "
            "суди.",
            "The occupation authorities in Crimea prosecute Crimean Tatars as "
            "“terrorists” for prayer and posts. We raise money for lawyers, parcels "
            "and families' journeys to hearings.",
            "Оккупационные власти Крыма преследуют крымских татар как «террористов» "
            "за молитву и посты. Собираем на адвокатов, передачи и поездки семей на "
            "суды.",
        ),
        paragraphs=(
            (
                "Імама Айдера Меметова засудили за розмови про релігію. Зарема "
                "Бекірова під домашнім арештом через дописи. Рустем Якубов зник "
                "після затримання, і влада не відповідає родині, де він.",
                "Imam Aider Memetov was sentenced for conversations about religion. "
                "Zarema Bekirova is under house arrest over her posts. Rustem "
                "Yakubov disappeared after his arrest, and the authorities will not "
                "tell his family where he is.",
                "Имама Айдера Меметова осудили за разговоры о религии. Зарема "
                "Бекирова под домашним арестом из-за постов. Рустем Якубов исчез "
                "после задержания, и власти не сообщают семье, где он.",
            ),
        ),
        quote=(
            (
                "Мій батько вчив людей молитися, а не воювати.",
                "My father taught people to pray, not to fight.",
                "Мой отец учил людей молиться, а не воевать.",
            ),
            (
                "Донька Айдера Меметова (вигадана)",
                "Aider Memetov's daughter (fictional)",
                "Дочь Айдера Меметова (вымышленная)",
            ),
        ),
        goal=8000,
        ends_on="2027-05-18",
        updates=(
            (
                "2026-09-12",
                (
                    "Апеляцію Айдера Меметова відхилено",
                    "Aider Memetov's appeal rejected",
                    "Апелляция Айдера Меметова отклонена",
                ),
                (
                    "Захист готує скаргу до Європейського суду з прав людини.",
                    "The defence is preparing an application to the European Court "
                    "of Human Rights.",
                    "Защита готовит жалобу в Европейский суд по правам человека.",
                ),
            ),
            (
                "2026-10-30",
                (
                    "Зібрано половину суми на адвокатів",
                    "Half the lawyers' fees raised",
                    "Собрана половина суммы на адвокатов",
                ),
                (
                    "Дякуємо всім, хто підтримав родини.",
                    "Thank you to everyone who supported the families.",
                    "Спасибо всем, кто поддержал семьи.",
                ),
            ),
        ),
    ),
    Campaign(
        slug="journalism-is-not-a-crime",
        title=(
            "Журналістика — не злочин",
            "Journalism is not a crime",
            "Журналистика — не преступление",
        ),
        theme="journalists",
        status=CampaignStatus.ACTIVE,
        people=("olena-kovalchuk", "enver-kurtumerov"),
        summary=(
            "Олену Ковальчук тримають у СІЗО за фото зруйнованих будинків, Енвера "
            "Куртумерова засудили за стріми з обшуків. Вимагаємо їх звільнити.",
            "Olena Kovalchuk is held in pre-trial detention for photos of destroyed "
            "houses; Enver Kurtumerov was sentenced for live-streaming searches. We "
            "demand their release.",
            "Елену Ковальчук держат в СИЗО за фотографии разрушенных домов, Энвера "
            "Куртумерова осудили за стримы с обысков. Требуем их освободить.",
        ),
        paragraphs=(
            (
                "Обоє робили те, що робить кожен журналіст: показували, що "
                "відбувається. Ми оплачуємо захист і передаємо їм листи читачів.",
                "Both did what every journalist does: showed what was happening. We "
                "pay for their defence and pass on readers' letters.",
                "Оба делали то, что делает каждый журналист: показывали, что "
                "происходит. Мы оплачиваем защиту и передаём им письма читателей.",
            ),
        ),
        quote=(
            (
                "Камера — мій єдиний інструмент. Її назвали зброєю.",
                "A camera is my only tool. They called it a weapon.",
                "Камера — мой единственный инструмент. Её назвали оружием.",
            ),
            (
                "Енвер Куртумеров (вигадана людина)",
                "Enver Kurtumerov (a fictional person)",
                "Энвер Куртумеров (вымышленный человек)",
            ),
        ),
        goal=6000,
        ends_on="2027-05-03",
        updates=(
            (
                "2026-08-20",
                (
                    "Олені Ковальчук продовжили арешт",
                    "Olena Kovalchuk's detention extended",
                    "Елене Ковальчук продлили арест",
                ),
                (
                    "Ще три місяці в СІЗО; адвокатка оскаржує рішення.",
                    "Three more months in detention; her lawyer is appealing.",
                    "Ещё три месяца в СИЗО; адвокат обжалует решение.",
                ),
            ),
            (
                "2026-11-02",
                (
                    "Листи доходять до Енвера",
                    "Letters are reaching Enver",
                    "Письма доходят до Энвера",
                ),
                (
                    "Він отримав понад сорок листів і дякує кожному.",
                    "He has received more than forty letters and thanks everyone.",
                    "Он получил больше сорока писем и благодарит каждого.",
                ),
            ),
        ),
    ),
    Campaign(
        slug="bring-the-civilians-home",
        title=(
            "Поверніть цивільних додому",
            "Bring the civilians home",
            "Верните мирных жителей домой",
        ),
        theme="civilians",
        status=CampaignStatus.ACTIVE,
        people=("serhii-petrenko", "oksana-lysenko", "dmytro-oliinyk"),
        summary=(
            "Вчитель, пенсіонерка і волонтер: цивільні, яких Росія утримує за "
            "проукраїнську позицію або як заручників. Вимагаємо включити їх до "
            "обмінів.",
            "A teacher, a pensioner and a volunteer: civilians Russia holds for "
            "their pro-Ukrainian views or as hostages. We demand that they be "
            "included in exchanges.",
            "Учитель, пенсионерка и волонтёр: мирные жители, которых Россия "
            "удерживает за проукраинскую позицию или как заложников. Требуем "
            "включить их в обмены.",
        ),
        paragraphs=(
            (
                "Цивільних не можна обмінювати як полонених, тому про них часто "
                "забувають. Ми документуємо кожну справу й передаємо її "
                "омбудсманам і міжнародним організаціям.",
                "Civilians are not prisoners of war, so they are easily forgotten in "
                "exchanges. We document every case and bring it to ombudspersons "
                "and international organisations.",
                "Мирные жители — не военнопленные, поэтому о них часто забывают при "
                "обменах. Мы документируем каждое дело и передаём его омбудсменам и "
                "международным организациям.",
            ),
        ),
        quote=(
            (
                "Я не солдат. Я вчу дітей історії.",
                "I am not a soldier. I teach children history.",
                "Я не солдат. Я учу детей истории.",
            ),
            (
                "Сергій Петренко в листі з колонії (вигадана людина)",
                "Serhii Petrenko in a letter from the colony (a fictional person)",
                "Сергей Петренко в письме из колонии (вымышленный человек)",
            ),
        ),
        goal=20000,
        ends_on="2027-06-30",
        updates=(
            (
                "2026-06-01",
                (
                    "Справи передано омбудсману",
                    "Cases sent to the Ombudsman",
                    "Дела переданы омбудсмену",
                ),
                (
                    "Усі три справи — у списках на обмін.",
                    "All three cases are now on the exchange lists.",
                    "Все три дела — в списках на обмен.",
                ),
            ),
            (
                "2026-09-24",
                (
                    "Оксана Лисенко отримала першу передачу",
                    "Oksana Lysenko received her first parcel",
                    "Оксана Лысенко получила первую передачу",
                ),
                (
                    "Ліки й теплий одяг дійшли через три місяці.",
                    "Medicine and warm clothes arrived after three months.",
                    "Лекарства и тёплая одежда дошли через три месяца.",
                ),
            ),
        ),
    ),
    Campaign(
        slug="iryna-bondar-is-free",
        title=(
            "Ірина Бондар на волі",
            "Iryna Bondar is free",
            "Ирина Бондарь на свободе",
        ),
        theme="civilians",
        status=CampaignStatus.WON,
        people=("iryna-bondar",),
        summary=(
            "Два роки листів, передач і звернень: у грудні 2019 року лікарку Ірину "
            "Бондар звільнили під час обміну. Дякуємо всім, хто підтримував.",
            "Two years of letters, parcels and appeals: in December 2019 the doctor "
            "Iryna Bondar was freed in an exchange. Thank you to everyone who stood "
            "by her.",
            "Два года писем, передач и обращений: в декабре 2019 года врача Ирину "
            "Бондарь освободили при обмене. Спасибо всем, кто поддерживал.",
        ),
        paragraphs=(
            (
                "Так званий «суд ДНР» засудив Ірину до 11 років за листування з "
                "колегами. Кампанія зібрала кошти на адвоката й тисячі листів.",
                "A so-called “DPR court” sentenced Iryna to 11 years for writing to "
                "colleagues. The campaign paid for a lawyer and gathered thousands "
                "of letters.",
                "Так называемый «суд ДНР» приговорил Ирину к 11 годам за переписку с "
                "коллегами. Кампания собрала деньги на адвоката и тысячи писем.",
            ),
        ),
        quote=(
            (
                "Кожен лист був ковтком повітря.",
                "Every letter was a breath of air.",
                "Каждое письмо было глотком воздуха.",
            ),
            (
                "Ірина Бондар (вигадана людина)",
                "Iryna Bondar (a fictional person)",
                "Ирина Бондарь (вымышленный человек)",
            ),
        ),
        goal=5000,
        ends_on="2019-12-31",
        updates=(
            (
                "2018-09-20",
                ("Вирок: 11 років", "Sentenced to 11 years", "Приговор: 11 лет"),
                (
                    "Процес був закритим; адвоката не допустили до останнього "
                    "засідання.",
                    "The trial was closed; her lawyer was kept out of the last "
                    "hearing.",
                    "Процесс был закрытым; адвоката не допустили на последнее "
                    "заседание.",
                ),
            ),
            (
                "2019-06-10",
                ("Тисяча листів", "A thousand letters", "Тысяча писем"),
                (
                    "Ірина отримала тисячний лист підтримки.",
                    "Iryna received her thousandth letter of support.",
                    "Ирина получила тысячное письмо поддержки.",
                ),
            ),
            (
                "2019-12-29",
                ("Ірина вдома!", "Iryna is home!", "Ирина дома!"),
                (
                    "Її звільнили під час обміну. Кампанію завершено перемогою.",
                    "She was freed in an exchange. The campaign is won.",
                    "Её освободили при обмене. Кампания завершена победой.",
                ),
            ),
        ),
    ),
    Campaign(
        slug="letters-to-belarus",
        title=("Листи до Білорусі", "Letters to Belarus", "Письма в Беларусь"),
        theme="belarus",
        status=CampaignStatus.CLOSED,
        people=("andrei-shyla", "hanna-l"),
        summary=(
            "Кампанія листів політв'язням у Білорусі. Колонія блокує листування, "
            "тож кампанію закрито; підтримуємо людей через їхні родини.",
            "A letter-writing campaign for political prisoners in Belarus. The "
            "colony blocks their mail, so the campaign is closed; we support them "
            "through their families.",
            "Кампания писем политзаключённым в Беларуси. Колония блокирует "
            "переписку, поэтому кампания закрыта; поддерживаем людей через их "
            "семьи.",
        ),
        paragraphs=(
            (
                "Листи Андрію Шилу перестали доходити навесні. Ганна Л. під "
                "домашнім арештом не може листуватися з незнайомими людьми.",
                "Letters to Andrei Shyla stopped getting through in the spring. "
                "Hanna L., under house arrest, may not correspond with strangers.",
                "Письма Андрею Шило перестали доходить весной. Анна Л. под домашним "
                "арестом не может переписываться с незнакомыми людьми.",
            ),
        ),
        quote=(
            (
                "Він знає, що про нього пам'ятають, навіть коли листи не доходять.",
                "He knows he is remembered, even when the letters don't arrive.",
                "Он знает, что о нём помнят, даже когда письма не доходят.",
            ),
            (
                "Мати Андрія Шила (вигадана)",
                "Andrei Shyla's mother (fictional)",
                "Мать Андрея Шило (вымышленная)",
            ),
        ),
        goal=2000,
        ends_on="2026-10-01",
        updates=(
            (
                "2025-12-01",
                ("Кампанію розпочато", "Campaign launched", "Кампания начата"),
                (
                    "Пишіть прості листи російською, без політики.",
                    "Write simple letters in Russian, without politics.",
                    "Пишите простые письма по-русски, без политики.",
                ),
            ),
            (
                "2026-10-01",
                ("Кампанію закрито", "Campaign closed", "Кампания закрыта"),
                (
                    "Листи до колонії не доходять; підтримку передаємо через родини.",
                    "Letters to the colony do not get through; we pass support on "
                    "through the families.",
                    "Письма в колонию не доходят; поддержку передаём через семьи.",
                ),
            ),
        ),
    ),
]


# --- Loading -----------------------------------------------------------------------


def _text(texts: T, lang: str) -> str:
    return demo_text(texts, lang, added())


def load_themes(locales) -> dict[str, dict[str, CampaignTheme]]:
    themes = {}
    for slug, names in THEMES.items():
        source = CampaignTheme.objects.filter(locale=locales["uk"], slug=slug).first()
        if source is None:
            source = CampaignTheme.objects.create(
                locale=locales["uk"], slug=slug, name=_text(names, "uk")
            )
        found = {"uk": source}
        for lang in locales:
            if lang == "uk":
                continue
            theme = source.get_translation_or_none(locales[lang])
            if theme is None:
                theme = source.copy_for_translation(locales[lang])
                theme.name = _text(names, lang)
                theme.save()
            found[lang] = theme
        themes[slug] = found
    return themes


def load_index(model, homes: dict[str, HomePage]) -> dict[str, Page]:
    """`model` under each home page, the other languages' translations of uk."""
    slug, content = INDEXES[model]
    return load_section(model, homes, slug=slug, content=content)


def load_people(homes: dict[str, HomePage]) -> dict[str, dict[str, PrisonerPage]]:
    """The demo profiles by slug, then language (loaded by `load_prisoners`)."""
    wanted = {slug for campaign in CAMPAIGNS for slug in campaign.people}
    people: dict[str, dict[str, PrisonerPage]] = {slug: {} for slug in wanted}
    for lang, home in homes.items():
        register = PrisonerIndexPage.objects.child_of(home).get()
        for page in PrisonerPage.objects.child_of(register).filter(slug__in=wanted):
            people[page.slug][lang] = page
    missing = [s for s, pages in people.items() if len(pages) != len(homes)]
    if missing:
        raise RuntimeError(f"Demo profiles missing (load_prisoners first): {missing}")
    return people


def _statement_fields(statement: Statement, lang: str) -> dict:
    return {
        "title": _text(statement.title, lang),
        "body": "".join(f"<p>{_text(p, lang)}</p>" for p in statement.body),
    }


def _new_statement(statement: Statement, parent: Page) -> StatementPage:
    closes_at = None
    if statement.closes_in_days is not None:
        today = timezone.localdate()
        closes_on = today + datetime.timedelta(days=statement.closes_in_days)
        closes_at = timezone.make_aware(
            datetime.datetime.combine(closes_on, datetime.time(23, 59))
        )
    page = StatementPage(
        slug=statement.slug,
        locale=parent.locale,
        who_may_sign=statement.who_may_sign,
        closes_at=closes_at,
        **_statement_fields(statement, "uk"),
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _translate_statement(
    source: StatementPage, statement: Statement, lang: str, locale
) -> StatementPage:
    """The statement in `lang`, made once under the translation of its parent."""
    page = source.get_translation_or_none(locale)
    if page is None:
        page = source.copy_for_translation(locale)
        for field, value in _statement_fields(statement, lang).items():
            setattr(page, field, value)
        page.save()
        page.save_revision().publish()
    return page.specific


def load_signatures(statement: Statement, page: StatementPage) -> int:
    """Confirmed demo signatures with no email kept; returns how many were added."""
    key = page.translation_key
    existing = set(
        Signature.objects.filter(statement_key=key).values_list("kind", "name")
    )
    now = timezone.now().replace(microsecond=0)
    added = 0
    for number, signer in enumerate(statement.signers):
        if (signer.kind, signer.name) in existing:
            continue
        confirmed_at = now - datetime.timedelta(days=number % 20, hours=number)
        signature = Signature.objects.create(
            statement_key=key,
            kind=signer.kind,
            name=signer.name,
            show_name=signer.show_name,
            country=signer.country,
            website=signer.website,
            email="",
            # Demo signers have no address: the digest is of who they are.
            email_digest=email_digest(
                statement_key=key, email=f"demo:{signer.kind}:{signer.name}"
            ),
            language=signer.language,
            status=SignatureStatus.CONFIRMED,
            approved=signer.approved,
            confirmed_at=confirmed_at,
            email_erased_at=now,
        )
        Signature.objects.filter(pk=signature.pk).update(
            created_at=confirmed_at - datetime.timedelta(minutes=7)
        )
        added += 1
    return added


def load_statement(statement: Statement, parents: dict[str, Page]) -> StatementPage:
    """A statement under `parents` (a page per language); returns the uk one."""
    source = StatementPage.objects.child_of(parents["uk"]).filter(slug=statement.slug)
    page = source.first()
    if page is None:
        page = _new_statement(statement, parents["uk"])
    for lang in parents:
        if lang == "uk":
            continue
        _translate_statement(page, statement, lang, parents[lang].locale)
    load_signatures(statement, page)
    return page


def _body(campaign: Campaign, lang: str) -> list[dict]:
    text, source = campaign.quote
    body = [
        {"type": "paragraph", "value": f"<p>{_text(p, lang)}</p>"}
        for p in campaign.paragraphs
    ]
    body.append(
        {
            "type": "quote",
            "value": {"text": _text(text, lang), "source": _text(source, lang)},
        }
    )
    if campaign.video:
        body.append(
            {
                "type": "video",
                "value": {"url": DEMO_VIDEO_URL, "title": _text(campaign.video, lang)},
            }
        )
    body.append({"type": "paragraph", "value": f"<p>{_text(CAMPAIGN_NOTE, lang)}</p>"})
    return body


def _campaign_fields(campaign: Campaign, lang: str, themes) -> dict:
    return {
        "title": _text(campaign.title, lang),
        "summary": _text(campaign.summary, lang),
        "body": _body(campaign, lang),
        "theme": themes[campaign.theme][lang],
    }


def load_campaign(campaign: Campaign, indexes, themes, people) -> CampaignPage:
    """The campaign in Ukrainian (with its statement, if any, as a child page),
    then its translations into the other languages of `indexes`, each linked to
    people of its language."""
    statement = STATEMENTS.get(campaign.statement)
    source = CampaignPage.objects.child_of(indexes["uk"]).filter(slug=campaign.slug)
    page = source.first()
    if page is None:
        page = CampaignPage(
            slug=campaign.slug,
            locale=indexes["uk"].locale,
            status=campaign.status,
            fundraising_goal=campaign.goal,
            ends_on=datetime.date.fromisoformat(campaign.ends_on),
            # An abstract picture drawn here: no photo of anyone, nothing fetched.
            hero_image=demo_illustration(
                key=f"campaign-{campaign.slug}", title=_text(campaign.title, "en")
            ),
            **_campaign_fields(campaign, "uk", themes),
        )
        for order, slug in enumerate(campaign.people):
            page.prisoner_links.add(
                CampaignPrisoner(sort_order=order, prisoner=people[slug]["uk"])
            )
        for order, (day, title, text) in enumerate(campaign.updates):
            page.updates.add(
                CampaignUpdate(
                    sort_order=order,
                    date=datetime.date.fromisoformat(day),
                    title=_text(title, "uk"),
                    text=f"<p>{_text(text, 'uk')}</p>",
                )
            )
        indexes["uk"].add_child(instance=page)
        if statement:
            page.statement = _new_statement(statement, page)
        page.save_revision().publish()
    uk_statement = page.statement

    for lang in indexes:
        locale = indexes[lang].locale
        if lang == "uk" or page.get_translation_or_none(locale) is not None:
            continue
        # Saved as a draft under the translation of the parent, with the inline rows
        # copied and the theme, people and statement still the Ukrainian ones.
        copy = page.copy_for_translation(locale)
        translated = CampaignPage.objects.get(pk=copy.pk)
        for field, value in _campaign_fields(campaign, lang, themes).items():
            setattr(translated, field, value)
        links = list(translated.prisoner_links.order_by("sort_order"))
        for row, slug in zip(links, campaign.people, strict=True):
            row.prisoner = people[slug][lang]
        translated.prisoner_links = links
        updates = list(translated.updates.order_by("sort_order"))
        for row, (_, title, text) in zip(updates, campaign.updates, strict=True):
            row.title = _text(title, lang)
            row.text = f"<p>{_text(text, lang)}</p>"
        translated.updates = updates
        translated.statement = None
        translated.save()
        if statement and uk_statement:
            child = _translate_statement(uk_statement, statement, lang, locale)
            # Read again: adding the child changed the page's place in the tree.
            translated = CampaignPage.objects.get(pk=translated.pk)
            translated.statement = child
        translated.save_revision().publish()

    if statement and uk_statement:
        load_signatures(statement, uk_statement)
    return page


def load_campaigns(homes: dict[str, HomePage]) -> dict:
    """Themes, the campaign and statement lists, every demo campaign and statement
    in each language of `homes`, and their signatures. Returns counts for a
    message."""
    with transaction.atomic():
        locales: dict[str, Locale] = {lang: home.locale for lang, home in homes.items()}
        themes = load_themes(locales)
        people = load_people(homes)
        campaign_indexes = load_index(CampaignIndexPage, homes)
        statement_indexes = load_index(StatementIndexPage, homes)
        keys = []
        for campaign in CAMPAIGNS:
            page = load_campaign(campaign, campaign_indexes, themes, people)
            if page.statement_id:
                keys.append(page.statement.translation_key)
        for key, statement in STATEMENTS.items():
            if not any(c.statement == key for c in CAMPAIGNS):
                keys.append(
                    load_statement(statement, statement_indexes).translation_key
                )
    return {
        "themes": len(themes),
        "campaigns": CampaignPage.objects.child_of(campaign_indexes["uk"]).count(),
        "statements": len(keys),
        "signatures": Signature.objects.filter(
            statement_key__in=keys, status=SignatureStatus.CONFIRMED
        ).count(),
    }
