"""Readers: one module per input format, each ``read(data, source[, options]) -> Document``.

They are registered in :data:`gongkai.convert.formats.READERS`; a reader with options takes its
own options object (``PdfOptions``, ``DocOptions`` from ``gongkai.model.settings``).
"""
