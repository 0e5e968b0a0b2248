"""Metadata files of a release: datapackage.json (Frictionless), CITATION.cff and SHA256SUMS."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from gongkai.release.settings import ReleaseSettings

PRIMARY_KEYS: dict[str, list[str]] = {
    "reports": ["report_key"], "active": ["report_key"], "applications": ["report_key"],
    "review_litigation": ["report_key"], "sources": ["source_path"], "codebook": ["table", "column"],
    "vocabularies": ["vocabulary", "value"], "rules": ["template", "rule", "scope"],
}
FOREIGN_KEYS: dict[str, str] = {"active": "reports", "applications": "reports", "review_litigation": "reports"}


def frictionless_type(type_: pa.DataType) -> str:
    if pa.types.is_integer(type_):
        return "integer"
    if pa.types.is_floating(type_):
        return "number"
    if pa.types.is_boolean(type_):
        return "boolean"
    if pa.types.is_timestamp(type_):
        return "datetime"
    return "string"


def datapackage(tables: dict[str, pa.Table], descriptions: dict[str, dict[str, str]],
                table_descriptions: dict[str, str], settings: ReleaseSettings) -> dict[str, Any]:
    """The Frictionless Data Package describing the CSV files (the Parquet files mirror them)."""
    resources = []
    for name, table in tables.items():
        schema: dict[str, Any] = {"fields": [
            {"name": f.name, "type": frictionless_type(f.type), "description": descriptions[name].get(f.name, "")}
            for f in table.schema]}
        if name in PRIMARY_KEYS:
            schema["primaryKey"] = PRIMARY_KEYS[name]
        if name in FOREIGN_KEYS:
            schema["foreignKeys"] = [{"fields": ["report_key"],
                                      "reference": {"resource": FOREIGN_KEYS[name], "fields": ["report_key"]}}]
        resources.append({
            "name": name, "path": f"csv/{name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig", "description": table_descriptions.get(name, ""),
            "schema": schema,
        })
    return {
        "profile": "tabular-data-package",
        "name": "gongkai-annual-reports",
        "title": settings.title,
        "version": settings.version,
        "created": settings.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": [{"name": settings.license, "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "contributors": [{"title": a, "role": "author"} for a in settings.authors],
        "keywords": ["China", "government information disclosure", "政府信息公开", "annual reports"],
        "resources": resources,
    }


def write_json(data: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def citation_cff(settings: ReleaseSettings) -> str:
    authors = "\n".join(f'  - name: "{a}"' for a in settings.authors)
    return (
        "cff-version: 1.2.0\n"
        'message: "If you use this dataset, please cite it as below."\n'
        "type: dataset\n"
        f'title: "{settings.title}"\n'
        f'version: "{settings.version}"\n'
        f"date-released: {settings.date().isoformat()}\n"
        f"license: {settings.license}\n"
        f"authors:\n{authors}\n"
        "keywords:\n  - China\n  - government information disclosure\n  - 政府信息公开\n"
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sha256sums(folder: Path, name: str = "SHA256SUMS") -> dict[str, str]:
    """Hash every file under ``folder`` (but the sums file itself) into ``folder/name``."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != name)
    sums = {p.relative_to(folder).as_posix(): sha256_of(p) for p in files}
    (folder / name).write_text("".join(f"{h}  {p}\n" for p, h in sums.items()), encoding="utf-8")
    return sums
