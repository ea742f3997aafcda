from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kezdesu.core.admin import AuditedAdminMixin
from kezdesu.core.audit import audit_record
from kezdesu.users.models import Membership, User
from kezdesu.users.services import second_factor_reset


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["body", "region"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    """Accounts, their roles (memberships) and permissions: every change is audited (never the password hash)."""

    inlines = [MembershipInline]
    list_display = ["username", "last_name", "first_name", "email", "is_active", "is_staff"]
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ("middle_name", "language")}))
    actions = ["reset_second_factor"]

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                audit_record(actor=request.user, action="user.password_change", obj=user, before=None, after=None,
                             comment="admin")
        return response

    @admin.action(description=_("Reset two-factor authentication (the user enrols again)"),
                  permissions=["change"])
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor_reset(actor=request.user, user=user)
        messages.success(request, _("Two-factor authentication was reset for %(count)d account(s).")
                         % {"count": queryset.count()})


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, BaseGroupAdmin):
    pass


# Unlocking an account or an address is deleting its failed attempts here; it is audited like every write.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AuditedAdminMixin, BaseAccessAttemptAdmin):
    pass


# Device pages would show each authenticator's secret to administrators: a lost phone is handled by the
# "reset two-factor authentication" action on the account instead.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
