"""Routes of the designer's pages and of signing in and out."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "designer"

urlpatterns = [
    path("", views.design_list, name="index"),
    path("designs/new/", views.design_new, name="design-new"),
    path("designs/import/", views.design_upload, name="design-import"),
    path("designs/<int:pk>/", views.design_page, name="design"),
    path("designs/<int:pk>/plan/", views.design_plan_page, name="design-plan"),
    path("designs/<int:pk>/push/", views.design_push_page, name="design-push"),
    path("login/", views.SignInPage.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
