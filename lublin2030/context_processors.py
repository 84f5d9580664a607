from django.conf import settings


def site(request):
    return {"PROCESS_NAME": settings.PROCESS_NAME}
