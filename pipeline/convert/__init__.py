"""Conversion: the ordered stages that turn one input file into a ``ReportResult``."""
