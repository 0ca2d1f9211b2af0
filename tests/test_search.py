"""The describe-the-idea search (bot/core/search.py): the targets on the dev set, named
examples in English, Simplified and Traditional Chinese, off-list works, and safety on any
text. The held-out set (benchmarks/heldout/describe.yaml) is never read here: it is only for
``python -m benchmarks.describe``."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.describe import DEV, Tally, evaluate, load_set
from bot.core.catalogue import Catalogue
from bot.core.search import (
    DECOY_PREFIX,
    MAX_CHOICES,
    Evidence,
    Params,
    Searcher,
    SearchResult,
    decide,
    looks_like_description,
    tokens,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def searcher(catalogue: Catalogue) -> Searcher:
    return Searcher(catalogue)


@pytest.fixture(scope="module")
def dev(searcher: Searcher) -> Tally:
    return evaluate(searcher.search, load_set(DEV))


# --- the targets, on dev -------------------------------------------------------------------


def test_dev_never_a_confident_wrong_answer(dev: Tally) -> None:
    assert dev["overall"].wrong == 0, [m for m in dev.misses if " got answer " in m]
    assert dev["off-list"].offlist == 0


def test_dev_correct_overall_and_on_paraphrases(dev: Tally) -> None:
    overall, paraphrase = dev["overall"], dev["paraphrase"]
    assert overall.correct >= 0.90 * overall.n, dev.misses
    assert paraphrase.correct >= 0.85 * paraphrase.n, dev.misses


@pytest.mark.parametrize("lang", ["en", "zh-hans", "zh-hant"])
def test_dev_correct_in_each_language(dev: Tally, lang: str) -> None:
    row = dev[lang]
    assert row.n > 100
    assert row.correct >= 0.88 * row.n


def test_dev_answers_more_often_than_it_offers_choices(dev: Tally) -> None:
    assert dev["overall"].choices <= 0.3 * dev["overall"].n


# --- named examples ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "paper"),
    [
        ("which paper introduced residual connections", "resnet"),
        ("the one where attention points at input positions", "pointer-networks"),
        ("mask 75% of patches and reconstruct", "mae"),
        ("用推土机距离训练 GAN", "wgan"),
        ("用推土機距離訓練 GAN", "wgan"),
        ("哪篇論文提出了殘差連接", "resnet"),
        ("the bidirectinal transformer pretrainng paper from google", "bert"),
    ],
)
def test_clear_descriptions_are_answered(searcher: Searcher, query: str, paper: str) -> None:
    result = searcher.search(query)
    assert result.status == "answer", result
    assert result.ids == (paper,)


@pytest.mark.parametrize(
    ("query", "paper"),
    [
        ("不用负样本的自监督", "byol"),
        ("不用負樣本的自監督", "byol"),
        ("the paper that made attention the only ingredient, with no recurrence at all",
         "attention-is-all-you-need"),
    ],
)  # fmt: skip
def test_close_calls_offer_the_paper_among_choices(
    searcher: Searcher, query: str, paper: str
) -> None:
    result = searcher.search(query)
    assert result.status in ("answer", "choices")
    assert paper in result.ids


@pytest.mark.parametrize(
    "query",
    [
        "batch normalization",
        "the paper that introduced batch normalization",
        "批次正規化 (Batch Normalization) 的原始論文",
        "llama 2",
        "Llama 2 的论文",
        "ResNeXt",
        "残差加分组卷积的 ResNeXt",
        "zero-shot learning",
        "零樣本學習",
        "sora",
        "Sora 影片生成",
        "YOLOv4",
        "the follow-up that replaced weight clipping in the earth mover critic",
        "the 2017 go program that learned from self-play alone",
    ],
)
def test_off_list_works_are_never_answered(searcher: Searcher, query: str) -> None:
    assert searcher.search(query).status != "answer"


@pytest.mark.parametrize("query", ["batch normalization", "llama 2", "ResNeXt", "sora"])
def test_a_named_off_list_work_gets_none(searcher: Searcher, query: str) -> None:
    assert searcher.search(query) == SearchResult("none")


def test_a_decoy_that_is_one_ingredient_still_offers_the_paper(searcher: Searcher) -> None:
    query = "怎么给 LSTM 加 dropout 才不会破坏记忆？只在层与层之间 dropout 的那篇"
    result = searcher.search(query)
    assert result.status == "choices"
    assert result.ids[0] == "rnn-regularization"


# Off-list works described, not named: each decoy's ``about`` is indexed (our own wording of
# the questions, not the dev set's).
DESCRIBED_OFF_LIST = [
    "the program that learned chess, shogi and Go from self-play alone, with no human games",
    "goodfellow 2014 paper explaining adversarial examples with the fast gradient sign method",
    "a small student network trained on the softened outputs of a big teacher with a high "
    "softmax temperature",
    "the one-stage detector whose loss down-weights easy background examples",
    "分块在 GPU 片上缓存里算注意力、减少显存读写的精确注意力算法",
    "Meta 2023 年 7 月发布的开放对话模型，70 亿到 700 亿参数",
    "每个小批量内把激活标准化为均值 0 方差 1",
    "在隱空間裡做擴散、用交叉注意力接入文字條件的模型",
]


@pytest.mark.parametrize("query", DESCRIBED_OFF_LIST)
def test_a_described_off_list_work_gets_none(searcher: Searcher, query: str) -> None:
    assert searcher.search(query) == SearchResult("none")


@pytest.mark.parametrize(
    ("query", "decoy"),
    [
        ("the program that learned chess, shogi and Go from self-play alone", "AlphaZero"),
        ("Google's 540-billion-parameter language model trained with the Pathways system",
         "PaLM"),
        ("分块在 GPU 片上缓存里算注意力、减少显存读写的精确注意力算法", "FlashAttention"),
    ],
)  # fmt: skip
def test_a_decoy_ranks_by_what_it_is_known_for(searcher: Searcher, query: str, decoy: str) -> None:
    ranked = searcher.rank(query)
    best_paper = next(s for pid, s in ranked if not pid.startswith(DECOY_PREFIX))
    i = next(i for i, names in enumerate(searcher.catalogue.decoys) if names[0] == decoy)
    assert dict(ranked)[f"{DECOY_PREFIX}{i}"] >= 0.5 * best_paper
    assert searcher.search(query).status != "answer"


def test_without_descriptions_decoys_compete_on_names_only(catalogue: Catalogue) -> None:
    """A catalogue built by hand may have no ``decoy_about``: the search still works, and the
    described AlphaZero is then the confident wrong answer the descriptions prevent."""
    names_only = Searcher(dataclasses.replace(catalogue, decoy_about=()))
    query = DESCRIBED_OFF_LIST[0]
    assert names_only.search(query).status == "answer"
    assert names_only.search(query).ids == ("alphago",)
    assert names_only.search("batch normalization") == SearchResult("none")


def test_decoy_years_do_not_count(searcher: Searcher) -> None:
    """Years are left out of a decoy's description: "2016" alone ranks no decoy."""
    assert not [pid for pid, _ in searcher.rank("2016") if pid.startswith(DECOY_PREFIX)]


# --- safety on any text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["", "   ", "???", "a", "1234", "hello", "thanks!", "how are you", "I like pizza", "你好",
     "谢谢", "今天天气怎么样", "next", "settings", "help", "x" * 5000, "注意力" * 1000],
)  # fmt: skip
def test_chat_and_junk_never_get_an_answer(searcher: Searcher, query: str) -> None:
    result = searcher.search(query)
    assert result.status != "answer"
    assert len(result.hits) <= MAX_CHOICES


def test_result_shapes(searcher: Searcher) -> None:
    for query in ["which paper introduced residual connections", "deep learning", "hello"]:
        result = searcher.search(query)
        scores = [s for _, s in result.hits]
        assert scores == sorted(scores, reverse=True)
        assert {"answer": 1, "none": 0}.get(result.status, len(result.hits)) == len(result.hits)
        assert 1 <= len(result.hits) <= MAX_CHOICES or result.status != "choices"


def test_decide_without_papers_is_none() -> None:
    assert decide(Evidence(papers=()), Params()) == SearchResult("none")


def test_import_loads_neither_numpy_nor_bm25s() -> None:
    code = "import sys, bot.core.search; print('numpy' in sys.modules, 'bm25s' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


# --- text -----------------------------------------------------------------------------------


def test_tokens_stem_english_and_bigram_chinese() -> None:
    assert tokens("Residual connections") == ["residu", "connect"]
    assert tokens("残差连接") == ["残差", "差连", "连接"]
    assert tokens("哪篇论文提出了残差连接", query=True) == ["残差", "差连", "连接"]


def test_traditional_queries_are_read_as_simplified() -> None:
    assert set(tokens("殘差連接", query=True)) >= {"残差", "连接"}
    # t2s keeps 序列, tw2sp makes it 串行: both forms are read.
    assert "序列" in tokens("輸入序列", query=True)
    # Taiwan terms: 正規化 is 归一化 in our text.
    assert "归一" in tokens("批次正規化", query=True)


@pytest.mark.parametrize(
    "query",
    ["which paper introduced residual connections", "the paper that uses attention as a pointer",
     "the one where attention points at input positions", "What model first used dropout?",
     "提出残差连接的论文", "哪篇论文用了注意力", "指针网络是哪篇", "用推土机距离训练 GAN 的那篇",
     "哪篇論文提出了殘差連接", "用推土機距離訓練 GAN 的那篇"],
)  # fmt: skip
def test_looks_like_description(query: str) -> None:
    assert looks_like_description(query)


@pytest.mark.parametrize(
    "query", ["resnet", "Attention Is All You Need", "next", "/settings", "残差网络", "GAN"]
)
def test_names_do_not_look_like_descriptions(query: str) -> None:
    assert not looks_like_description(query)
