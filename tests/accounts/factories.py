import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import ADMIN, COORDINATOR, MODERATOR

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Verified e-mail by default; `UserFactory(verified=False)` for an unverified account."""
        obj.save()
        if extracted is False:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=False)
        else:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        for name in extracted or []:
            obj.groups.add(Group.objects.get_or_create(name=name)[0])


def moderator(**kwargs):
    return UserFactory(roles=[MODERATOR], **kwargs)


def coordinator(**kwargs):
    return UserFactory(roles=[COORDINATOR], **kwargs)


def admin(**kwargs):
    return UserFactory(roles=[ADMIN], **kwargs)
