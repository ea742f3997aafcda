from django.shortcuts import render

from kezdesu.registry.models import Body, Region


def home(request):
    return render(request, "portal/home.html", {
        "regions": Region.objects.order_by("kato_code"),
        "bodies": Body.objects.filter(exempt=False, valid_to__isnull=True).order_by("slug"),
    })
