"""The catalogue matches the facts file exactly, and loading validates every entry."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.core.catalogue import Catalogue, CatalogueError, default_knowledge_dir, load_catalogue
from bot.core.text import normalise

FACTS = Path(__file__).resolve().parents[2] / "shared" / "reference" / "catalogue-facts.yaml"


@pytest.fixture(scope="module")
def facts() -> dict:
    if not FACTS.exists():
        if os.environ.get("CI"):
            pytest.fail(f"facts file missing in CI: {FACTS}")
        pytest.skip("shared/reference/catalogue-facts.yaml is not beside this checkout")
    return yaml.safe_load(FACTS.read_text(encoding="utf-8"))


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


def test_categories_and_short_names_follow_the_facts(catalogue: Catalogue, facts: dict) -> None:
    reading = catalogue.lists["paper-reading"]
    for fact in facts["papers"]:
        if "mli_category" not in fact:
            continue
        cat = reading.category_of(fact["id"])
        assert cat is not None and cat.name.zh == fact["mli_category"], fact["id"]
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


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), target)
    return target


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
