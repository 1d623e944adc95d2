from django.urls import path

from signoff import views

app_name = "signoff"
urlpatterns = [
    path("<str:token>/", views.sign_off, name="page"),
    path("<str:token>/photos/<path:name>", views.photo, name="photo"),
]
