"""Readers: one module per input format, each ``read(data, source, settings) -> Document``.

They are registered in :data:`gongkai.convert.formats.READERS`.
"""
