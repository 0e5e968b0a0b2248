"""Keep pandas out of a batch supervisor process (about 50 MB resident and 0.4 s of start-up).

pyarrow imports pandas, when it is installed, the first time it turns Python objects into an
array (its ``_is_array_like`` check asks whether they are pandas objects). The supervisor of
``gongkai extract`` and ``gongkai nightly`` builds every part's Arrow tables from Python lists
and never needs pandas: with the ``pandas`` or ``test`` extra installed, that import alone took
the supervisor from ≈171 MB to ≈204 MB on 2,000 text documents, past the 200 MB the supervisor
is allowed at 100,000 documents.

:func:`keep_pandas_out_of_pyarrow` puts a meta-path finder that refuses ``pandas`` in front of
the import system for the rest of the process, so pyarrow behaves exactly as where pandas is not
installed (a configuration gongkai supports: pandas is an optional extra). Refusing only its
first attempt is not enough: several of pyarrow's checks try the import again each time. Only
the CLI calls it, for commands whose process ends with the run; library callers (the Python API,
notebooks) are untouched.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType


class _RefusePandas(MetaPathFinder):
    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname == "pandas" or fullname.startswith("pandas."):
            raise ImportError("pandas is kept out of the gongkai batch supervisor")
        return None


def keep_pandas_out_of_pyarrow() -> bool:
    """Refuse ``import pandas`` in this process from now on; True when that took effect (False
    when pandas is already imported: then there is nothing to save)."""
    if "pandas" in sys.modules:
        return False
    if not any(isinstance(finder, _RefusePandas) for finder in sys.meta_path):
        sys.meta_path.insert(0, _RefusePandas())
    return True
