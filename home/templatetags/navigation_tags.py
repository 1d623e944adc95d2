from django import template

from home import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The main menu's titles and URLs (cached per site; see home.navigation)."""
    request = context.get("request")
    if request is None:
        return []
    if not hasattr(request, "_main_menu"):
        request._main_menu = navigation.main_menu(request)
    return request._main_menu
