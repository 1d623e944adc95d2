from django.urls import path

from submissions import views

app_name = "submissions"
urlpatterns = [
    path("", views.share, name="share"),
    path("thank-you/", views.thanks, name="thanks"),
]
