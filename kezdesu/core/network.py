"""Who is asking: the client's address as the service sees it behind its reverse proxy."""

from __future__ import annotations

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, unless the request came from a trusted proxy (TRUSTED_PROXIES);
    then the address that proxy appended to X-Forwarded-For (anything the client wrote before it is ignored).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if remote not in settings.KEZDESU["TRUSTED_PROXIES"]:
        return remote
    forwarded, _routable = get_client_ip(request, proxy_order="left-most", proxy_count=0, strict=False,
                                         request_header_order=["HTTP_X_FORWARDED_FOR"])
    return forwarded or remote
