"""The lexicon cache answers exactly what jieba's in-memory tables answer; prose loads nothing it does not use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.extractors.prose import lexicon as lexicon_module
from gongkai.extractors.prose.lexicon import Lexicon, PrefixFreq, build_lexicon, import_jieba, parse_idf
from tests.test_samples_snapshots import DATA

DICTIONARY = "政府 5000 n\n政府信息 3000 n\n信息 8000 n\n公开 6000 v\n政务新媒体 20 n\n政府 7 n\n"
IDF = "政府 5.5\n信息 3.25\n公开 4.125\n不及时 9.0\n"


def test_lexicon_holds_jiebas_prefix_dict_and_idf(tmp_path: Path) -> None:
    (tmp_path / "dict.txt").write_text(DICTIONARY, encoding="utf-8")
    (tmp_path / "idf.txt").write_text(IDF, encoding="utf-8")
    build_lexicon(tmp_path / "lexicon.cache", tmp_path / "dict.txt", tmp_path / "idf.txt")
    lexicon = Lexicon(tmp_path / "lexicon.cache")
    jieba = import_jieba()
    with (tmp_path / "dict.txt").open("rb") as handle:
        freq, total = jieba.Tokenizer.gen_pfdict(handle)
    assert lexicon.total == total == 5000 + 3000 + 8000 + 6000 + 20 + 7
    assert freq["政府"] == 7 and freq["政务新"] == 0  # the later line wins; prefixes are 0
    prefix_freq = PrefixFreq(lexicon)
    for word, value in freq.items():
        assert word in prefix_freq and prefix_freq[word] == value and prefix_freq.get(word) == value
    for absent in ("新媒体", "政务新媒体发布", "\ud800"):
        assert absent not in prefix_freq and prefix_freq.get(absent) is None and prefix_freq.get(absent, 1) == 1
    prefix_freq["新媒体"] = 0  # jieba's add_word
    assert "新媒体" in prefix_freq and prefix_freq["新媒体"] == 0
    table, median = parse_idf(IDF)
    assert lexicon.idf_median == median == 5.5
    assert [lexicon.idf(w) for w in table] == list(table.values()) and lexicon.idf("政府信息") is None

    in_memory = jieba.Tokenizer()
    in_memory.FREQ, in_memory.total, in_memory.initialized = freq, total, True
    from_file = jieba.Tokenizer()
    from_file.FREQ, from_file.total, from_file.initialized = PrefixFreq(lexicon), total, True
    text = "政府信息公开，政务新媒体更新不及时。"
    assert from_file.lcut(text) == in_memory.lcut(text) and "政府信息" in from_file.lcut(text)


def test_a_report_without_section_five_or_chinese_numerals_loads_neither_jieba_nor_cn2an() -> None:
    code = ("import sys\nfrom gongkai.convert.stages import extract_bytes\n"
            "r = extract_bytes('某区2024年政府信息公开工作年度报告\\n一、总体情况\\n全年主动公开政府信息120条。\\n'.encode(), 'x.txt')\n"
            "print(r.keywords, [f.value for f in r.facts], 'jieba' in sys.modules, 'cn2an' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=DATA.parent.parent, check=True)
    assert done.stdout.split() == ["[]", "[120.0]", "False", "False"], done.stdout + done.stderr


def test_a_damaged_lexicon_file_is_built_anew(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dict.txt").write_text(DICTIONARY, encoding="utf-8")
    (tmp_path / "idf.txt").write_text(IDF, encoding="utf-8")
    monkeypatch.setattr(lexicon_module, "jieba_resource", lambda *parts: tmp_path / parts[-1])
    cache = tmp_path / "cache"
    cache.mkdir()
    first = lexicon_module.open_lexicon(cache)
    assert first is not None and first.freq("政府") == 7 and first.freq("政府信息公开") is None
    first.path.write_bytes(b"not a database")
    again = lexicon_module.open_lexicon(cache)
    assert again is not None and again.path == first.path and again.freq("政府") == 7
    assert lexicon_module.open_lexicon(None) is None
