"""A citable dataset release built from a dataset folder written by ``gongkai extract``.

``build_release(dataset_dir, release_dir, settings)`` reads the Parquet tables, gives every
issuer an identity (administrative division, level, body type), groups the copies of one
report (body, year) into a logical report, and writes the release: Parquet, CSV, XLSX, DuckDB,
a bilingual codebook, datapackage.json, SHA256SUMS, CITATION.cff, a dataset card and a
CHANGELOG against a previous release. The same dataset gives a byte-identical release.
"""
