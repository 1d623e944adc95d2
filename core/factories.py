import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory


class UserFactory(DjangoModelFactory):
    """A staff account; ``roles=[...]`` puts it in those groups (made by the roles
    migration), e.g. ``UserFactory(username="edna", roles=[EDITORS])``."""

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@clinic.example")
    password = factory.django.Password("pw")

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    @factory.post_generation
    def roles(self, create, names, **kwargs):
        if not create or not names:
            return
        groups = list(Group.objects.filter(name__in=names))
        missing = set(names) - {group.name for group in groups}
        if missing:
            raise ValueError(f"No such roles: {', '.join(sorted(missing))}")
        self.groups.add(*groups)


class SuperuserFactory(UserFactory):
    is_staff = True
    is_superuser = True
