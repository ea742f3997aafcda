"""Pagination with bounds: a huge `limit` is capped, a huge `offset` is refused (400) before the database."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

MAX_OFFSET = 10**9


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 500

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param)
        if raw is not None and raw.strip().isdigit() and int(raw) > MAX_OFFSET:
            raise ValidationError({self.offset_query_param: [
                _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": MAX_OFFSET}]})
        return super().get_offset(request)
