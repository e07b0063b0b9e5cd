"""The public form of a profile, for the API and anything else that leaves the site."""


def _date(value):
    return value.isoformat() if value else None


def _handled_by(page) -> list[dict]:
    # Only public, current members; a role the case hides is null, not left out,
    # so that partners see the member is named without its role.
    from network.selectors import handled_by, network_index

    handlers = handled_by(page)
    index = network_index(page.locale) if handlers else None
    base = index.get_full_url() if index else None
    return [
        {
            "name": handler.member.name,
            "slug": handler.member.slug,
            "role": handler.role,
            "url": f"{base}{handler.member.slug}/" if base else None,
        }
        for handler in handlers
    ]


def public_profile_data(page) -> dict:
    """What the profile shows the public; hidden or unconsented parts are absent."""
    shows = page.shows
    data = {
        "name": page.title,
        "is_pseudonym": page.is_pseudonym,
        "is_fictional": page.is_fictional,
        "other_spellings": [s.name for s in page.spellings.all()],
        "status": page.status,
        "detained_on": _date(page.detained_on),
        "released_on": _date(page.released_on),
        "persecution_types": [str(kind) for kind in page.persecution_types],
        "interpol_notice": page.interpol_notice or None,
        "ccf_complaint": page.ccf_complaint or None,
        "sis_alert": page.sis_alert,
        "extradition_status": page.extradition_status or None,
        "asylum_status": page.asylum_status or None,
        "meets_pace_criteria": page.meets_pace_criteria,
        "pace_criteria": sorted({c.criterion for c in page.pace_criteria.all()}),
        "assessment_summary": page.assessment_summary,
        "handled_by": _handled_by(page),
    }
    if shows("birth_year"):
        data["birth_year"] = page.birth_year
    if shows("birthday") and page.birth_month and page.birth_day:
        data["birthday"] = {"month": page.birth_month, "day": page.birth_day}
    if shows("home_region") and page.home_region:
        data["home_region"] = {
            "slug": page.home_region.slug,
            "name": page.home_region.name,
        }
    if shows("occupation"):
        data["occupation"] = page.occupation
    if shows("criminal_case"):
        data["criminal_case"] = {
            "authority": page.criminal_case_authority or None,
            "articles": [a.number for a in page.criminal_articles.all()],
            "summary": page.case_summary,
        }
    if shows("sentence"):
        data["sentence"] = {
            "years": float(page.sentence_years) if page.sentence_years else None,
            "regime": page.sentence_regime or None,
        }
    if shows("court"):
        data["court"] = page.court
        data["next_hearing_on"] = _date(page.next_hearing_on)
    if shows("detention_place") and page.detention_place:
        data["detention_place"] = page.detention_place.name
    if shows("letters"):
        data["letters"] = {
            "address": page.letter_address,
            "verified_on": _date(page.letter_address_verified_on),
            "language": page.letter_language or None,
            "topics_to_avoid": page.letter_topics_to_avoid,
            "blocked": page.letters_blocked,
        }
    if shows("relatives"):
        data["relatives"] = page.relatives_note
    if shows("timeline"):
        data["timeline"] = [
            {"date": _date(e.date), "kind": e.kind, "description": e.description}
            for e in page.timeline_events.all()
        ]
    return data
