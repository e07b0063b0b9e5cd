"""The network on other apps' pages (profiles, statements), so that their templates
name members without their apps importing the network's models."""

from django import template

from network.selectors import handled_by, network_index, signatory_members

register = template.Library()


@register.simple_tag(takes_context=True)
def case_handlers(context, profile) -> list[dict]:
    """The public members working on a profile: name, link and (when shown) role."""
    handlers = handled_by(profile)
    if not handlers:
        return []
    request = context.get("request")
    index = network_index(profile.locale)
    return [
        {
            "member": h.member,
            "role": h.role_label,
            "url": index.member_url(h.member, request) if index else "",
        }
        for h in handlers
    ]


@register.simple_tag(takes_context=True)
def signatory_member_links(context, signatures) -> dict[int, str]:
    """{signature pk: member page URL} for the signatories that are members."""
    page = context.get("page")
    index = network_index(page.locale) if page is not None else None
    return signatory_members(signatures, index=index, request=context.get("request"))


@register.filter
def link_for(links: dict, key) -> str:
    return links.get(key, "") if links else ""
