import factory

from kezdesu.users.models import Membership, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kz")
    first_name = "Айгүл"
    last_name = "Омарова"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.AUTHORIZED_ANALYST


def staff(role: str, *, body=None, region=None) -> User:
    """Return a saved user holding `role` (with its body or region scope)."""
    return MembershipFactory(role=role, body=body, region=region).user
