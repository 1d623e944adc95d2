"""The image tags that parse their filter specs once per template (core.templatetags
.image_tags) render exactly what Wagtail's own tags render."""

from unittest import mock

from django.template import Context, Template
from django.test import TestCase
from wagtail_factories import ImageFactory

TAGS = [
    '{% image photo fill-120x120 class="photo" alt="" %}',
    "{% image photo width-200 as shown %}{{ shown.url }} {{ shown.width }}",
    '{% srcset_image photo width-{320,640} sizes="20rem" %}',
    '{% picture photo format-{avif,webp,jpeg} fill-{400x250,800x500} sizes="24rem" alt="" %}',
]


def render(library, tag, image):
    return Template("{% load " + library + " %}" + tag).render(Context({"photo": image}))


class ImageTagsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.images = [ImageFactory(width=800, height=600), ImageFactory(width=640, height=480)]

    def test_each_tag_renders_what_wagtails_renders(self):
        for tag in TAGS:
            for image in self.images:
                with self.subTest(tag=tag, image=image.pk):
                    ours = render("image_tags", tag, image)
                    self.assertIn(image.file.name.rsplit(".", 1)[0].split("/")[-1], ours)
                    self.assertEqual(ours, render("wagtailimages_tags", tag, image))

    def test_a_template_parses_its_filters_once_for_every_image_it_shows(self):
        template = Template("{% load image_tags %}" + TAGS[3])
        node = template.nodelist[-1]
        first = node.get_filters()
        for image in self.images:
            self.assertIn("<picture>", template.render(Context({"photo": image})))
        self.assertIs(node.get_filters(), first)
        self.assertEqual(len(first), 6)

    def test_a_missing_image_renders_nothing_and_a_bad_spec_fails_as_wagtails_does(self):
        self.assertEqual(render("image_tags", TAGS[0], None), "")
        with self.assertRaisesMessage(Exception, "Unrecognised operation: nonsense"):
            render("image_tags", "{% image photo nonsense-1 %}", self.images[0])

    def test_a_rendition_found_in_the_cache_is_not_written_back(self):
        # Wagtail's own image tag writes it again at each render: a Redis write per photo
        # per page. (Patient photos' renditions know they came from the cache.)
        from stories.factories import PatientPhotoFactory

        photo = PatientPhotoFactory()
        cache = photo.get_rendition_model().cache_backend
        render("image_tags", TAGS[0], photo)  # made, and stored in the cache
        reloaded = type(photo).objects.get(pk=photo.pk)  # nothing prefetched on it
        with (
            mock.patch.object(cache, "set", wraps=cache.set) as writes,
            mock.patch.object(cache, "set_many", wraps=cache.set_many) as many_writes,
            self.assertNumQueries(0),
        ):
            shown = render("image_tags", TAGS[0], reloaded)
        self.assertEqual(shown, render("wagtailimages_tags", TAGS[0], photo))
        self.assertEqual((writes.call_count, many_writes.call_count), (0, 0))
        with mock.patch.object(cache, "set", wraps=cache.set) as writes:
            render("wagtailimages_tags", TAGS[0], type(photo).objects.get(pk=photo.pk))
        self.assertEqual(writes.call_count, 1)  # what this tag spares
