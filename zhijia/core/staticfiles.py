"""Static files: django.contrib.staticfiles and WhiteNoise's storage, tuned for the API docs.

The API's docs page (/api/v1/docs) serves django-ninja's Swagger UI from this site, so that it
works without a CDN and within the Content-Security-Policy. Its bundle is large: ReDoc and a
source map that the page does not use are left out of collectstatic, and the bundle is
gzipped only (brotli at its best setting would take seconds at every `zhijia serve`). So is
the browser JavaScript of static/vendor/ (ECharts, about 1 MB: 3 s of brotli, 0.1 s of gzip),
put there by make install (scripts/vendor-js.sh).
"""

from __future__ import annotations

import os

from django.contrib.staticfiles.apps import StaticFilesConfig
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFiles(StaticFilesConfig):
    """django.contrib.staticfiles without the docs page's unused files."""

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "redoc.standalone.js*",
        "swagger-ui-bundle.js.map",
    ]


# The collected paths compressed with gzip only.
GZIP_ONLY = (f"{os.sep}ninja{os.sep}", f"{os.sep}vendor{os.sep}")


class _Compressor(Compressor):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._gzip_only = Compressor(**{**kwargs, "use_brotli": False})

    def compress(self, path):
        if any(part in path for part in GZIP_ONLY):
            return self._gzip_only.compress(path)
        return super().compress(path)


class Storage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed, cache-busting storage; the docs page's files gzipped only."""

    def create_compressor(self, **kwargs):
        return _Compressor(**kwargs)
