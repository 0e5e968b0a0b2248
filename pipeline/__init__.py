"""gongkai: government information-disclosure annual reports → validated Parquet dataset."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gongkai")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+src"

PIPELINE_VERSION = __version__
