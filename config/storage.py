"""Static files in production: WhiteNoise's compressed, hashed names, never a 500 for a missing entry."""

from __future__ import annotations

import logging
from urllib.parse import quote, urljoin

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger("kezdesu.static")


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed names from the manifest that `collectstatic` writes.

    A name missing from the manifest (a deploy that skipped `collectstatic`, a typo in a template) is
    logged and served under its plain name instead of failing the whole page.
    """

    manifest_strict = False

    def url(self, name, force=False):
        try:
            return super().url(name, force)
        except ValueError:
            logger.warning("static file %s is not in the manifest; run collectstatic", name)
            return urljoin(self.base_url, quote(name.lstrip("/")))
