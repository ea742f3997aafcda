from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kezdesu.users.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["body", "region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "last_name", "first_name", "email", "is_active", "is_staff"]
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ("middle_name", "language")}))
