app_name = "tension"
urlpatterns: list = []
