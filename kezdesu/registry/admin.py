from django.contrib import admin

from kezdesu.core.admin import AuditedAdmin
from kezdesu.registry.models import Body, Head, Region, Sector


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["kato_code", "name_kk", "name_ru", "kind", "population", "population_confirmed"]
    list_filter = ["kind", "population_confirmed"]
    search_fields = ["name_kk", "name_ru", "name_en", "slug", "kato_code"]


class HeadInline(admin.TabularInline):
    model = Head
    extra = 0
    fields = ["full_name_kk", "full_name_ru", "full_name_en", "is_first_head", "acting", "start", "end"]


@admin.register(Body)
class BodyAdmin(AuditedAdmin):
    list_display = ["slug", "name_kk", "exempt", "valid_from", "valid_to", "confirmed"]
    list_filter = ["exempt", "confirmed"]
    search_fields = ["name_kk", "name_ru", "name_en", "slug"]
    autocomplete_fields = ["predecessor"]
    # Heads edited here are audited row by row (AuditedAdmin.save_formset).
    inlines = [HeadInline]


@admin.register(Head)
class HeadAdmin(AuditedAdmin):
    list_display = ["full_name_kk", "body", "is_first_head", "acting", "start", "end"]
    list_filter = ["acting", "is_first_head", "body"]
    search_fields = ["full_name_kk", "full_name_ru", "full_name_en"]
    autocomplete_fields = ["body"]


@admin.register(Sector)
class SectorAdmin(AuditedAdmin):
    list_display = ["slug", "name_kk", "name_ru", "name_en"]
    search_fields = ["name_kk", "name_ru", "name_en", "slug"]
    filter_horizontal = ["bodies"]
