"""The ``gongkai`` command: a thin layer over the library."""
