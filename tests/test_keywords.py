"""jieba with the shipped disclosure-terms dictionary, its private cache, and section 五 keywords."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from gongkai.convert.stages import extract_file
from gongkai.extractors.prose.keywords import keywords_of
from gongkai.extractors.prose.segmenter import CACHE_PREFIX, cache_dir, disclosure_terms, segment
from tests.test_samples_snapshots import DATA


def test_domain_terms_stay_whole() -> None:
    words = segment("本年度没有产生政府信息公开信息处理费，政务新媒体更新不及时，依申请公开答复规范")
    for term in ("政府信息公开信息处理费", "政务新媒体", "更新不及时", "依申请公开"):
        assert term in words, words
    assert len(disclosure_terms()) >= 100 and "信息处理费" in disclosure_terms()


def test_keywords_of_section_five_in_the_samples() -> None:
    result = extract_file(DATA / "hb-zhuozhou-district-gov-2024.txt")
    words = [k.keyword for k in result.keywords]
    assert words[0] == "政策解读" and result.keywords[0].count == 3 and result.keywords[0].rank == 1
    assert all(k.section == 5 for k in result.keywords) and len(words) == 10
    assert not {"问题", "工作", "进一步"} & set(words)  # the genre's words are stop words
    # a legacy report's section 五 ends where its 统计表 begins: no table words among its keywords
    legacy = extract_file(DATA / "fj-pingtan-zone-gov-2018-legacy.txt")
    assert "队伍建设" in [k.keyword for k in legacy.keywords]
    assert not {"数条", "答复", "总数"} & {k.keyword for k in legacy.keywords}


def test_keywords_are_deterministic_and_empty_for_no_text() -> None:
    text = "存在公开不及时、解读不到位等问题。下一步将加强政策解读，提升公开质量，强化政策解读。"
    assert keywords_of(text) == keywords_of(text)
    assert keywords_of(text)[0].keyword == "政策解读"
    assert keywords_of("") == [] and keywords_of("。，") == []


def test_cache_dir_is_private(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = cache_dir()
    assert folder == tmp_path / f"{CACHE_PREFIX}{os.getuid()}"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    folder.chmod(0o777)  # someone made it writable for all: not trusted, a fresh folder instead
    other = cache_dir()
    assert other is not None and other != folder and other.parent == tmp_path


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_jieba_writes_only_its_cache_in_the_temp_dir_and_survives_a_read_only_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(temp)}
    code = "from gongkai.extractors.prose.segmenter import segment; print('|'.join(segment('政务新媒体')))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "政务新媒体" and done.stderr == ""
    assert list(home.iterdir()) == []
    assert [p.name for p in temp.iterdir()] == [f"{CACHE_PREFIX}{os.getuid()}"]
    assert [p.suffix for p in (temp / f"{CACHE_PREFIX}{os.getuid()}").iterdir()] == [".cache"]
