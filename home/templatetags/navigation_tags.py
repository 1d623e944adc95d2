from django import template
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Live top-level pages marked "show in menus", fetched once per request."""
    request = context.get("request")
    if request is None:
        return []
    if not hasattr(request, "_main_menu"):
        site = Site.find_for_request(request)
        request._main_menu = (
            list(site.root_page.get_children().live().public().in_menu().specific())
            if site
            else []
        )
    return request._main_menu
