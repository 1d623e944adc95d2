from django import template

from home import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The main menu's titles and URLs (cached per site; see home.navigation)."""
    request = context.get("request")
    return [] if request is None else navigation.main_menu(request)


@register.simple_tag(takes_context=True)
def footer_pages(context):
    """The standard pages linked from the footer (cached per site; see home.navigation)."""
    request = context.get("request")
    return [] if request is None else navigation.footer_pages(request)


@register.simple_tag(takes_context=True)
def standard_page_url(context, slug):
    """The URL of the live standard page with this slug ("how-consent-works"), or ""."""
    return next((link["url"] for link in footer_pages(context) if link["slug"] == slug), "")
