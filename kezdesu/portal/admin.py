from django.contrib import admin

from kezdesu.portal.models import Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["code", "meeting", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["code", "meeting__venue"]
    list_select_related = ["meeting__body", "meeting__region"]
    readonly_fields = ["code", "meeting", "name", "contact", "status", "created_at", "updated_at"]

    def has_add_permission(self, request):
        # Citizens register on the portal (registration_create keeps the seat count and the audit trail).
        return False
