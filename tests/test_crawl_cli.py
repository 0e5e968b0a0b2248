"""`gongkai crawl` / `gongkai nightly` usage errors and the fatal exit (no reactor is started)."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli.app import app

pytest.importorskip("scrapy")


def test_bad_sites_file_is_a_usage_error(tmp_path: Path) -> None:
    sites = tmp_path / "sites.yaml"
    sites.write_text("sites:\n  - id: x\n    url: http://a.gov.cn/\n    family: wordpress\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["crawl", str(sites), "--out", str(tmp_path / "raw")])
    assert result.exit_code == 2 and "family must be one of" in result.output
    result = CliRunner().invoke(app, ["crawl", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "cannot read" in result.output
    good = tmp_path / "good.csv"
    good.write_text("id,family,url\nx,trs,http://a.gov.cn/index.html\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["crawl", str(good), "--shard", "3/2"])
    assert result.exit_code == 2 and "0 <= i < N" in result.output
    result = CliRunner().invoke(app, ["nightly", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "no such SITES file" in result.output


def test_another_crawl_on_the_same_out_is_fatal(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("id,family,url\nx,generic,http://127.0.0.1:9/list.html\n", encoding="utf-8")
    (tmp_path / "raw" / "_crawl").mkdir(parents=True)
    with open(tmp_path / "raw" / "_crawl" / "lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = CliRunner().invoke(app, ["crawl", str(sites), "--out", str(tmp_path / "raw")])
    assert result.exit_code == 3 and "another crawl is writing" in result.output
