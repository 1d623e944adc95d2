from wagtail.models import Site

from home.models import HomePage, OrganisationSettings


def load():
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if isinstance(home, HomePage) and not home.intro:
        home.intro = (
            "<p>Real experiences from our patients, shared with their consent, and clear "
            "information about the treatments we offer.</p>"
        )
        home.save_revision().publish()
    settings = OrganisationSettings.for_site(site)
    if not settings.address:
        settings.address = "12 Riverside Walk\nSpringfield"
        settings.phone = "0100 000 0000"
        settings.email = "hello@riverside-neurology.example"
        settings.save()
    return [f"Site: http://127.0.0.1:8000/ ({settings.name})"]
