"""Stages that turn an intermediate document into values: readers, sections, tables, metadata."""
