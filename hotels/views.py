from django.shortcuts import render

from .models import Hotel


def home(request):
    hotels = Hotel.objects.filter(status=Hotel.Status.ACTIVE).order_by("city", "name")
    return render(request, "hotels/home.html", {"hotels": hotels})
