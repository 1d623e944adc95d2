from wagtail.snippets.models import register_snippet

from taxonomy.viewsets import TaxonomyViewSetGroup

register_snippet(TaxonomyViewSetGroup)
