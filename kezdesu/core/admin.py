from django.contrib import admin
from django.db import transaction

from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.models import AuditEvent, CalendarOverride, Job


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin page that only shows rows: they are written by the application's own code."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdminMixin:
    """Every write made in the admin is audited like any other: the object with its many-to-many fields
    (after they are saved), each inline row added, changed or deleted, and deletions."""

    def save_model(self, request, obj, form, change):
        # The audit row is written in save_related, once the many-to-many fields and inlines are saved too.
        before = snapshot(type(obj).objects.get(pk=obj.pk), many_to_many=True) if change else None
        super().save_model(request, obj, form, change)
        request._audit_before = {**getattr(request, "_audit_before", {}), (obj._meta.label, obj.pk): before}

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            obj = form.instance
            before = getattr(request, "_audit_before", {}).get((obj._meta.label, obj.pk))
            audit_record(actor=request.user, action=f"{obj._meta.model_name}.{'change' if change else 'add'}",
                         obj=obj, before=before, after=snapshot(obj, many_to_many=True), comment="admin")

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit_record(actor=request.user, action=f"{obj._meta.model_name}.delete", obj=obj,
                             before=snapshot(obj), after=None, comment="admin inline")
                obj.delete()
            for obj in instances:
                before = snapshot(type(obj).objects.get(pk=obj.pk)) if obj.pk else None
                obj.save()
                audit_record(actor=request.user, action=f"{obj._meta.model_name}.{'change' if before else 'add'}",
                             obj=obj, before=before, after=snapshot(obj), comment="admin inline")
            formset.save_m2m()

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, action=f"{obj._meta.model_name}.delete", obj=obj,
                         before=snapshot(obj, many_to_many=True), after=None, comment="admin")
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Reference data edited in the admin is audited like any other write."""


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ["date", "kind", "name_kk", "name_ru", "basis"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the trail is written by services and never edited by hand."""

    list_display = ["seq", "at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_label", "object_id"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Read-only view of background jobs for the operators (written by the task code only)."""

    list_display = ["pk", "task", "status", "attempts", "created_at", "started_at", "heartbeat_at", "finished_at"]
    list_filter = ["status", "task"]
    readonly_fields = [f.name for f in Job._meta.fields]
