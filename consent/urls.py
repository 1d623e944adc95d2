from django.urls import path

from consent import views

app_name = "consent"
urlpatterns = [
    path("withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("signed-forms/<int:pk>/", views.signed_form, name="signed_form"),
]
