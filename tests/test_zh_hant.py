"""Traditional Chinese keeps the field's terms: OpenCC by character, plus a short table of ours.

Choices (checked against OpenCC 1.4 output):

- ``s2twp`` (OpenCC's phrase conversion) is not used: it rewrites terms of the field into
  other words: 参数 -> 引數 (should be 參數), 循环神经网络 -> 迴圈神經網路, 连接 -> 連線,
  局部 -> 區域性, 激活 -> 啟用, 刷新 -> 重新整理.
- zh-hant is ``s2tw`` (characters, Taiwan variants such as 裡) and then
  ``bot.i18n.TAIWAN_TERMS`` for the words Taiwan clearly writes differently: 網路 (not
  網絡), 資料/資料集 (not 數據), 影片 (not 視頻), 演算法, 程式碼, 指標 (pointer), 預設,
  解析度... 大數據 stays, as Taiwan writes it.
- zh-hk is ``s2hk`` alone: Hong Kong writes 網絡, 數據, 視頻, 算法 as the conversion gives.
- Both: 單於 for OpenCC's 单于 (it breaks 清单于 "the list, in ...").
"""

from __future__ import annotations

import re

import pytest

from bot.core.catalogue import Catalogue
from bot.i18n import catalogue as messages
from bot.i18n import format_duration, format_weekdays, localise

# What s2twp produces and we never want to see.
WRONG = ("引數", "迴圈神經", "連線", "區域性", "啟用", "重新整理", "演演算")

# (Simplified, zh-hant, zh-hk)
TERMS = [
    ("参数", "參數", "參數"),
    ("超参数", "超參數", "超參數"),
    ("循环神经网络", "循環神經網路", "循環神經網絡"),
    ("卷积神经网络", "卷積神經網路", "卷積神經網絡"),
    ("注意力机制", "注意力機制", "注意力機制"),
    ("训练", "訓練", "訓練"),
    ("预训练模型", "預訓練模型", "預訓練模型"),
    ("数据集", "資料集", "數據集"),
    ("数据增强", "資料增強", "數據增強"),
    ("大数据", "大數據", "大數據"),
    ("残差连接", "殘差連接", "殘差連接"),
    ("全连接层", "全連接層", "全連接層"),
    ("局部特征", "局部特徵", "局部特徵"),
    ("激活函数", "激活函數", "激活函數"),
    ("刷新了纪录", "刷新了紀錄", "刷新了紀錄"),
    ("梯度下降", "梯度下降", "梯度下降"),
    ("视频理解", "影片理解", "視頻理解"),
    ("匈牙利算法", "匈牙利演算法", "匈牙利算法"),
    ("指针网络", "指標網路", "指針網絡"),
    ("源代码", "原始碼", "源代碼"),
    ("默认框", "預設框", "默認框"),
    ("超分辨率", "超解析度", "超分辨率"),
    ("在这里", "在這裡", "在這裏"),
    ("这份清单于 2024 年流传", "這份清單於 2024 年流傳", "這份清單於 2024 年流傳"),
]


@pytest.mark.parametrize("simplified, taiwan, hong_kong", TERMS)
def test_field_terms_convert_as_the_field_writes_them(
    simplified: str, taiwan: str, hong_kong: str
) -> None:
    assert localise(simplified, "zh-hant") == taiwan
    assert localise(simplified, "zh-hk") == hong_kong
    assert localise(simplified, "zh") == simplified


def _chinese_texts(catalogue: Catalogue) -> list[str]:
    texts = list(messages("zh").values())
    for p in catalogue:
        texts += [p.title_zh, p.summary.zh, p.why.zh, *p.contributions.zh, *p.aliases_zh]
        texts += [v.title for v in p.videos]
    for lst in catalogue.lists.values():
        texts += [lst.name.zh, *(c.name.zh for c in lst.categories)]
        texts += [lst.about.zh] if lst.about else []
    texts += [topic.name.zh for topic in catalogue.topics.values()]
    return texts


@pytest.mark.parametrize("lang", ["zh-hant", "zh-hk"])
def test_no_phrase_conversion_artefacts_anywhere(catalogue: Catalogue, lang: str) -> None:
    for text in _chinese_texts(catalogue):
        out = localise(text, lang)
        found = [w for w in WRONG if w in out]
        assert not found, (found, out[:120])


@pytest.mark.parametrize("lang", ["zh-hant", "zh-hk"])
def test_every_summary_is_fully_converted(catalogue: Catalogue, lang: str) -> None:
    """No Simplified-only character is left in any paper's Chinese text."""
    simplified_only = re.compile(r"[们这说对时发经络数据视频参连论读际让总结构]")
    for p in catalogue:
        for text in (p.title_zh, p.summary.zh, p.why.zh):
            out = localise(text, lang)
            assert not simplified_only.search(out), (p.id, simplified_only.findall(out))


@pytest.mark.parametrize("lang", ["zh-hant", "zh-hk"])
def test_our_terms_survive_a_second_conversion(catalogue: Catalogue, lang: str) -> None:
    """Text converted twice keeps our terms (演算法 does not become 演演算法)."""
    for text in _chinese_texts(catalogue):
        once = localise(text, lang)
        twice = localise(once, lang)
        for _, taiwan, hong_kong in TERMS:
            term = taiwan if lang == "zh-hant" else hong_kong
            assert once.count(term) == twice.count(term), (term, once[:80])


@pytest.mark.parametrize("lang", ["zh-hant", "zh-hk"])
def test_babel_output_is_already_traditional(lang: str) -> None:
    for text in (format_weekdays({0, 2, 4}, lang), format_duration(3930, lang)):
        assert localise(text, lang) == text
    assert format_weekdays({0}, lang) == "週一"


def test_html_and_latin_text_pass_through() -> None:
    text = '<b>ResNet</b> 的<a href="https://arxiv.org/abs/1512.03385">论文</a> &amp; 网络'
    assert localise(text, "zh-hant") == (
        '<b>ResNet</b> 的<a href="https://arxiv.org/abs/1512.03385">論文</a> &amp; 網路'
    )
