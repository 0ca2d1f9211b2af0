"""The catalogue matches the facts files exactly, and loading validates every entry.

Tests marked ``completeness`` check that the optional content (contributions, list
``about``) is all written; they fail while it is still being written (``-m completeness``).
The loader itself is tested on copies of the knowledge directory with our own fixture files.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.catalogue import (
    Bilingual,
    Catalogue,
    CatalogueError,
    default_knowledge_dir,
    load_catalogue,
)
from bot.core.knowledge import completeness_problems
from bot.core.text import normalise

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
FACTS = REFERENCE / "catalogue-facts.yaml"
VIDEOS = REFERENCE / "videos.yaml"
OPTIONAL = ("videos.yaml", "relations.yaml", "contributions.yaml")


def _reference(path: Path) -> dict:
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"facts file missing in CI: {path}")
        pytest.skip(f"shared/reference/{path.name} is not beside this checkout")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def facts() -> dict:
    return _reference(FACTS)


@pytest.fixture(scope="module")
def video_facts() -> dict:
    return _reference(VIDEOS)


def test_ids_titles_authors_years_links_match_the_facts(catalogue: Catalogue, facts: dict) -> None:
    by_id = {p["id"]: p for p in facts["papers"]}
    assert set(catalogue.papers) == set(by_id)
    for pid, fact in by_id.items():
        paper = catalogue.papers[pid]
        assert paper.title == fact["title"], pid
        assert list(paper.authors) == fact["authors"], pid
        assert paper.year == fact["year"], pid
        assert paper.url == fact["url"], pid
        assert paper.arxiv == fact["arxiv"], pid


def test_lists_membership_and_order_match_the_facts(catalogue: Catalogue, facts: dict) -> None:
    assert list(catalogue.lists) == [lst["id"] for lst in facts["lists"]]
    for lst in facts["lists"]:
        assert list(catalogue.lists[lst["id"]].order) == lst["order"]
    for paper in facts["papers"]:
        assert sorted(lst.id for lst, _ in catalogue.memberships(paper["id"])) == sorted(
            paper["lists"]
        )


SHOWN_IN_CHINESE = {"计算机视觉 - Object Detection": "计算机视觉 - 目标检测"}


def test_categories_and_short_names_follow_the_facts(catalogue: Catalogue, facts: dict) -> None:
    reading = catalogue.lists["paper-reading"]
    for fact in facts["papers"]:
        if "mli_category" not in fact:
            continue
        cat = reading.category_of(fact["id"])
        # Li Mu's README names one category half in English; we show it in Chinese.
        want = SHOWN_IN_CHINESE.get(fact["mli_category"], fact["mli_category"])
        assert cat is not None and cat.name.zh == want, fact["id"]
        paper = catalogue.papers[fact["id"]]
        names = {
            normalise(a).replace(" ", "")
            for a in (*paper.aliases_en, *paper.aliases_zh, paper.title)
        }
        for short in fact.get("short_names", []):
            assert normalise(short).replace(" ", "") in names, (fact["id"], short)


def test_every_entry_has_our_own_content_within_the_length_rules(catalogue: Catalogue) -> None:
    for p in catalogue:
        assert 60 <= len(p.summary.en.split()) <= 120, p.id
        assert 80 <= len(re.sub(r"\s", "", p.summary.zh)) <= 200, p.id
        assert re.search(r"[\u4e00-\u9fff]", p.title_zh), p.id
        assert p.aliases_en and p.aliases_zh, p.id
        assert p.topics, p.id
        assert "\n" not in p.why.en.strip() and "\n" not in p.why.zh.strip(), p.id


def test_no_alias_belongs_to_two_papers_or_to_a_decoy(catalogue: Catalogue) -> None:
    owner: dict[str, str] = {}
    for p in catalogue:
        for name in (p.title, p.title_zh, *p.aliases_en, *p.aliases_zh):
            key = normalise(name).replace(" ", "")
            assert owner.setdefault(key, p.id) == p.id, (name, owner[key], p.id)
    for names in catalogue.decoys:
        for name in names:
            key = normalise(name).replace(" ", "")
            assert key not in owner, (name, owner.get(key))


def test_every_decoy_says_briefly_what_it_is_known_for(catalogue: Catalogue) -> None:
    """One or two sentences per language, beside the names (the describe search indexes it)."""
    assert len(catalogue.decoy_about) == len(catalogue.decoys)
    for names, about in zip(catalogue.decoys, catalogue.decoy_about, strict=True):
        assert about is not None, names[0]
        assert 8 <= len(about.en.split()) <= 50, names[0]
        assert 15 <= len(re.sub(r"\s", "", about.zh)) <= 130, names[0]
        assert re.search(r"[\u4e00-\u9fff]", about.zh), names[0]
        assert len(re.findall(r"[.!?](?:\s|$)", about.en.strip())) <= 2, names[0]
        assert "\n" not in about.en and "\n" not in about.zh, names[0]


def test_decoys_keep_their_names_in_file_order(catalogue: Catalogue) -> None:
    firsts = [names[0] for names in catalogue.decoys]
    assert firsts[1:3] == ["word2vec", "GloVe"]
    assert ("AlphaZero",) in catalogue.decoys and "PaLM" in firsts
    assert len(set(firsts)) == len(firsts)


def _copy(tmp_path: Path, *leave_out: str) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), target, ignore=shutil.ignore_patterns(*leave_out))
    return target


def _edit(path: Path, change: Callable[[Any], object]) -> None:
    """Load ``path``, let ``change`` edit the data in place, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _write(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_broken_entry_names_file_entry_and_field(tmp_path: Path) -> None:
    kdir = _copy(tmp_path)
    path = kdir / "papers" / "sutskever-30.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["papers"][6]["summary"]["zh"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        load_catalogue(kdir)
    assert str(err.value) == (
        "papers/sutskever-30.yaml, entry 'pointer-networks', field 'summary.zh': is missing"
    )


def test_bad_kind_topic_and_yaml_are_reported(tmp_path: Path) -> None:
    kdir = _copy(tmp_path)
    path = kdir / "papers" / "sutskever-30.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind: blog post", "kind: podcast", 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"entry 'annotated-transformer', field 'kind'"):
        load_catalogue(kdir)
    path.write_text(text + "\n  - : [broken\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"papers/sutskever-30.yaml: is not valid YAML"):
        load_catalogue(kdir)


def test_unknown_paper_in_a_list_is_reported(tmp_path: Path) -> None:
    kdir = _copy(tmp_path)
    path = kdir / "lists.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("- pointer-networks", "- pointer-netwerks", 1)
    )
    with pytest.raises(CatalogueError, match=r"lists.yaml, entry 'sutskever-30', field 'order'"):
        load_catalogue(kdir)


# --- Videos ------------------------------------------------------------------------------------

FACT_FIELDS = ("title", "date", "duration", "bilibili", "youtube", "zhihu")


def test_videos_match_the_reference_field_by_field(
    catalogue: Catalogue, video_facts: dict
) -> None:
    """Facts exact: same papers, same videos in the same order, same title, date, duration
    and links. Ours on top: optional ``title_en`` and ``series``."""
    ours = yaml.safe_load((default_knowledge_dir() / "videos.yaml").read_text(encoding="utf-8"))
    assert list(ours["videos"]) == list(video_facts["videos"])
    for pid, reference in video_facts["videos"].items():
        mine = ours["videos"][pid] or []
        assert len(mine) == len(reference or []), pid
        for i, (video, fact) in enumerate(zip(mine, reference or [], strict=True)):
            assert set(video) - set(FACT_FIELDS) <= {"title_en", "series"}, (pid, i)
            for name in FACT_FIELDS:
                assert video[name] == fact[name], (pid, i, name)
        loaded = catalogue.papers[pid].videos
        assert [v.title for v in loaded] == [f["title"] for f in reference or []], pid
        assert [v.duration for v in loaded] == [f["duration"] for f in reference or []], pid
        assert [v.date.isoformat() for v in loaded] == [f["date"] for f in reference or []]
    distinct = {v["bilibili"] for videos in video_facts["videos"].values() for v in videos or []}
    assert len(catalogue.videos) == len(distinct) == 39


@pytest.mark.completeness
def test_completeness_every_video_has_an_english_title_and_parts_share_a_series(
    catalogue: Catalogue,
) -> None:
    for video in catalogue.videos:
        assert video.title_en, video.title
    llama = [v for v in catalogue.videos if v.title.startswith("Llama 3.1")]
    assert len(llama) == 5 and len({v.series for v in llama}) == 1 and llama[0].series
    assert catalogue.series(llama[0].series or "") == llama


def test_videos_are_shared_by_every_paper_they_cover(tmp_path: Path, video_facts: dict) -> None:
    kdir = _copy(tmp_path, *OPTIONAL)
    _write(kdir / "videos.yaml", video_facts)
    catalogue = load_catalogue(kdir)
    survey = catalogue.papers["instdisc"].videos[0]
    assert survey.title == "对比学习论文综述"
    assert len(survey.covers) == 13 and survey.covers[0] == "instdisc"
    assert all(catalogue.papers[pid].videos.count(survey) == 1 for pid in survey.covers)
    assert any(v is survey for v in catalogue.papers["moco-v1"].videos)
    assert survey.duration_seconds == 1 * 3600 + 32 * 60 + 1
    assert survey.date == datetime.date(2021, 12, 20)
    alexnet = catalogue.papers["alexnet"].videos
    assert [v.duration_seconds for v in alexnet] == [19 * 60 + 59, 55 * 60 + 21]
    assert alexnet[0].covers == ("alexnet",)
    assert alexnet[0].links[0] == ("bilibili", "https://www.bilibili.com/video/BV1ih411J7Kz/")
    assert alexnet[0].display_title("en") == alexnet[0].title  # no title_en in the reference
    detr = catalogue.papers["detr"].videos[0]
    assert [site for site, _ in detr.links] == ["bilibili"]
    assert catalogue.papers["vgg"].videos == ()
    assert catalogue.papers["pointer-networks"].videos == ()
    assert len(catalogue.videos) == 39


def _video(**changes: object) -> dict:
    video: dict[str, object] = {
        "title": "ResNet 论文逐段精读",
        "title_en": "ResNet, paragraph by paragraph",
        "date": "2021-10-22",
        "duration": "53:46",
        "bilibili": "https://www.bilibili.com/video/BV1P3411y7nn/",
        "youtube": "https://www.youtube.com/watch?v=pWMnzCX4cwQ",
        "zhihu": None,
    }
    video.update(changes)
    return video


@pytest.mark.parametrize(
    "videos, where, problem",
    [
        ({"resnet": [_video(duration="53:4x")]}, "'resnet', field '#1.duration'", "quoted"),
        ({"resnet": [_video(duration=3226)]}, "'resnet', field '#1.duration'", "quoted"),
        ({"resnet": [_video(duration="0:00")]}, "field '#1.duration'", "longer than zero"),
        ({"resnet": [_video(date="2021-02-30")]}, "field '#1.date'", "not a calendar date"),
        ({"resnet": [_video(date="22/10/2021")]}, "field '#1.date'", "YYYY-MM-DD"),
        ({"resnet": [_video(bilibili="https://youtu.be/x")]}, "#1.bilibili", "bilibili"),
        ({"resnet": [_video(titel="x")]}, "field '#1.titel'", "not a known field"),
        ({"resnet": [_video(title=None)]}, "field '#1.title'", "is missing"),
        ({"resnet": [_video(), _video()]}, "'resnet', field '#2'", "same video twice"),
        ({"resnett": [_video()]}, "entry 'resnett'", "unknown paper id"),
        ({"pointer-networks": [_video()]}, "'pointer-networks'", "paper-reading list"),
        (
            {"resnet": [_video()], "vgg": [_video(duration="53:47")]},
            "'vgg', field '#1.duration'",
            "differs from the same video under 'resnet'",
        ),
        (
            {"resnet": [_video()], "vgg": [_video(title_en="Another name")]},
            "'vgg', field '#1.title_en'",
            "differs",
        ),
    ],
)
def test_bad_videos_are_reported(tmp_path: Path, videos: dict, where: str, problem: str) -> None:
    kdir = _copy(tmp_path, *OPTIONAL)
    _write(kdir / "videos.yaml", {"videos": videos})
    with pytest.raises(CatalogueError) as err:
        load_catalogue(kdir)
    assert str(err.value).startswith("videos.yaml, entry "), err.value
    assert where in str(err.value) and problem in str(err.value), err.value


def test_title_en_and_series_may_be_written_once(tmp_path: Path) -> None:
    kdir = _copy(tmp_path, *OPTIONAL)
    plain = _video(title_en=None)
    _write(kdir / "videos.yaml", {"videos": {"resnet": [_video(series="S")], "vgg": [plain]}})
    catalogue = load_catalogue(kdir)
    video = catalogue.papers["vgg"].videos[0]
    assert video.title_en == "ResNet, paragraph by paragraph" and video.series == "S"
    assert video.covers == ("vgg", "resnet")  # paper-reading order
    assert video is catalogue.papers["resnet"].videos[0]
    assert video.display_title("en") == "ResNet, paragraph by paragraph"
    assert video.display_title("zh") == "ResNet 论文逐段精读"


# --- Relations ---------------------------------------------------------------------------------


def test_relations_load_with_their_reverse(tmp_path: Path) -> None:
    kdir = _copy(tmp_path, *OPTIONAL)
    builds_on = {
        "resnet": ["vgg", "alexnet"],
        "vgg": ["alexnet"],
        "googlenet": ["alexnet"],
        "identity-mappings-resnet": ["resnet"],
        "alexnet": [],
    }
    _write(kdir / "relations.yaml", {"builds_on": builds_on})
    catalogue = load_catalogue(kdir)
    assert catalogue.papers["resnet"].builds_on == ("vgg", "alexnet")
    assert [p.id for p in catalogue.builds_on("resnet")] == ["vgg", "alexnet"]
    assert catalogue.papers["alexnet"].followed_by == ("vgg", "googlenet", "resnet")
    assert [p.id for p in catalogue.followers("alexnet")] == ["vgg", "googlenet", "resnet"]
    assert [p.id for p in catalogue.followers("resnet")] == ["identity-mappings-resnet"]
    assert catalogue.followers("identity-mappings-resnet") == []
    assert catalogue.papers["mae"].builds_on == () and catalogue.followers("mae") == []


@pytest.mark.parametrize(
    "builds_on, where, problem",
    [
        ({"resnet": ["vgg", "vggg"]}, "'resnet', field 'builds_on'", "unknown paper id 'vggg'"),
        ({"resnett": ["vgg"]}, "entry 'resnett'", "unknown paper id"),
        ({"resnet": ["resnet"]}, "'resnet', field 'builds_on'", "cannot build on itself"),
        ({"alexnet": ["resnet"]}, "'alexnet', field 'builds_on'", "is later than this paper"),
        ({"resnet": ["vgg", "vgg"]}, "'resnet', field 'builds_on'", "names a paper twice"),
        ({"resnet": "vgg"}, "entry 'resnet'", "valid list"),
        (
            {"vgg": ["googlenet"], "googlenet": ["vgg"]},
            "field 'builds_on'",
            "cycle: vgg -> googlenet -> vgg",
        ),
    ],
)
def test_bad_relations_are_reported(
    tmp_path: Path, builds_on: dict, where: str, problem: str
) -> None:
    kdir = _copy(tmp_path, *OPTIONAL)
    _write(kdir / "relations.yaml", {"builds_on": builds_on})
    with pytest.raises(CatalogueError) as err:
        load_catalogue(kdir)
    assert str(err.value).startswith("relations.yaml, entry "), err.value
    assert where in str(err.value) and problem in str(err.value), err.value


# --- Contributions, list descriptions, completeness ------------------------------------------


def test_optional_files_may_be_missing(tmp_path: Path) -> None:
    kdir = _copy(tmp_path, *OPTIONAL)
    _edit(kdir / "lists.yaml", lambda data: [lst.pop("about", None) for lst in data["lists"]])
    catalogue = load_catalogue(kdir)
    paper = catalogue.papers["resnet"]
    assert paper.videos == () and paper.builds_on == () and paper.followed_by == ()
    assert paper.contributions.en == () and paper.contributions.get("zh") == ()
    assert catalogue.lists["sutskever-30"].about is None
    problems = completeness_problems(catalogue)
    assert len(problems) == len(catalogue.papers) + len(catalogue.lists)
    assert "contributions.yaml: paper 'resnet' has no contributions" in problems
    assert "lists.yaml: list 'paper-reading' has no 'about'" in problems


def test_contributions_and_about_load(tmp_path: Path) -> None:
    kdir = _copy(tmp_path, *OPTIONAL)
    _write(
        kdir / "contributions.yaml",
        {
            "contributions": {
                "resnet": {
                    "en": ["residual learning", "identity shortcuts"],
                    "zh": ["残差学习", "恒等捷径"],
                }
            }
        },
    )
    about = {"en": "An English description.", "zh": "一段中文介绍。"}
    _edit(kdir / "lists.yaml", lambda data: data["lists"][0].update(about=about))
    catalogue = load_catalogue(kdir)
    contributions = catalogue.papers["resnet"].contributions
    assert contributions.get("en") == ("residual learning", "identity shortcuts")
    assert contributions.get("zh-hant") == ("残差学习", "恒等捷径")
    assert catalogue.default_list.about is not None
    assert catalogue.default_list.about.get("zh") == "一段中文介绍。"


@pytest.mark.parametrize(
    "entry, where, problem",
    [
        ({"en": ["one"], "zh": ["一", "二"]}, "field 'en'", "has 1 item(s), needs at least 2"),
        ({"en": ["a"] * 7, "zh": ["一", "二"]}, "field 'en'", "at most 6 allowed"),
        ({"en": ["a", " "], "zh": ["一", "二"]}, "field 'en.#2'", "non-empty string"),
        ({"en": ["a", "b"]}, "field 'zh'", "is missing"),
        ({"en": ["a", "b"], "zh": ["一", "二"], "fr": []}, "field 'fr'", "not a known field"),
    ],
)
def test_bad_contributions_are_reported(
    tmp_path: Path, entry: dict, where: str, problem: str
) -> None:
    kdir = _copy(tmp_path, *OPTIONAL)
    _write(kdir / "contributions.yaml", {"contributions": {"resnet": entry}})
    with pytest.raises(CatalogueError) as err:
        load_catalogue(kdir)
    assert str(err.value).startswith("contributions.yaml, entry 'resnet', "), err.value
    assert where in str(err.value) and problem in str(err.value), err.value


def test_a_decoy_is_a_list_of_names_or_names_and_about(tmp_path: Path) -> None:
    kdir = _copy(tmp_path)
    about = {"en": "A made-up network.", "zh": "一个虚构的网络。"}
    entries = [["Foo Net", "FooNet"], {"names": ["Bar"]}, {"names": ["Baz", 2], "about": about}]
    _write(kdir / "decoys.yaml", {"decoys": entries})
    catalogue = load_catalogue(kdir)
    assert catalogue.decoys == (("Foo Net", "FooNet"), ("Bar",), ("Baz", "2"))
    assert catalogue.decoy_about == (None, None, Bilingual(about["en"], about["zh"]))


def test_decoys_yaml_may_be_missing(tmp_path: Path) -> None:
    catalogue = load_catalogue(_copy(tmp_path, "decoys.yaml"))
    assert catalogue.decoys == () and catalogue.decoy_about == ()


@pytest.mark.parametrize(
    "entry, where, problem",
    [
        ({"names": ["Bar"], "about": {"en": "A bar."}}, "field 'about.zh'", "is missing"),
        ({"names": ["Bar"], "about": {"en": "A bar.", "zh": " "}}, "field 'about.zh'",
         "non-empty string"),
        ({"names": [], "about": {"en": "A.", "zh": "一。"}}, "field 'names'", "needs at least 1"),
        ({"about": {"en": "A.", "zh": "一。"}}, "field 'names'", "is missing"),
        ({"names": ["Bar"], "abuot": {"en": "A.", "zh": "一。"}}, "field 'abuot'",
         "not a known field"),
        (["Bar", " "], "field 'names.#2'", "non-empty string"),
    ],
)  # fmt: skip
def test_bad_decoys_are_reported(tmp_path: Path, entry: Any, where: str, problem: str) -> None:
    kdir = _copy(tmp_path)
    _write(kdir / "decoys.yaml", {"decoys": [["Fine"], entry]})
    with pytest.raises(CatalogueError) as err:
        load_catalogue(kdir)
    assert str(err.value).startswith("decoys.yaml, entry '#2', "), err.value
    assert where in str(err.value) and problem in str(err.value), err.value


def test_a_misspelt_field_is_reported(tmp_path: Path) -> None:
    kdir = _copy(tmp_path)
    _edit(kdir / "topics.yaml", lambda data: data["topics"][0].update(alias=["x"]))
    with pytest.raises(CatalogueError, match=r"topics.yaml, entry '[a-z-]+', field 'alias'"):
        load_catalogue(kdir)


@pytest.mark.completeness
def test_completeness_every_paper_has_contributions_and_every_list_an_about(
    catalogue: Catalogue,
) -> None:
    """Fails until contributions.yaml and the lists' ``about`` are all written."""
    assert completeness_problems(catalogue) == []
