"""Check drafted knowledge files for completeness and length rules.

Usage: python tools/check_content.py knowledge/papers/<file>.yaml [...]
Prints one line per problem; exits 1 if any. Lengths: English summary 60-120 words,
Chinese summary 80-200 characters (whitespace not counted), one-line `why` in each language.
"""

import re
import sys
from pathlib import Path

import yaml

KINDS = {"paper", "blog post", "book", "course", "thesis", "tutorial"}
ROOT = Path(__file__).resolve().parents[1]


def main(paths: list[str]) -> int:
    topics = {t["id"] for t in yaml.safe_load((ROOT / "knowledge/topics.yaml").read_text())["topics"]}
    problems = []
    seen_alias: dict[str, str] = {}
    for f in sorted((ROOT / "knowledge/papers").glob("*.yaml")):
        for p in yaml.safe_load(f.read_text())["papers"]:
            for a in p["aliases"]["en"] + p["aliases"]["zh"]:
                if a != "TODO":
                    key = re.sub(r"[\W_]+", "", a.lower())
                    if key in seen_alias and seen_alias[key] != p["id"]:
                        problems.append(f"{f.name}: alias {a!r} of {p['id']} also belongs to {seen_alias[key]}")
                    seen_alias[key] = p["id"]
    for path in paths:
        for p in yaml.safe_load(Path(path).read_text())["papers"]:
            pid = p["id"]
            text = yaml.safe_dump(p, allow_unicode=True)
            if "TODO" in text:
                problems.append(f"{pid}: still has TODO")
            if p["kind"] not in KINDS:
                problems.append(f"{pid}: kind {p['kind']!r} not in {sorted(KINDS)}")
            for t in p["topics"]:
                if t not in topics:
                    problems.append(f"{pid}: topic {t!r} not in knowledge/topics.yaml")
            n = len(p["summary"]["en"].split())
            if not 60 <= n <= 120:
                problems.append(f"{pid}: summary.en has {n} words (60-120)")
            n = len(re.sub(r"\s", "", p["summary"]["zh"]))
            if not 80 <= n <= 200:
                problems.append(f"{pid}: summary.zh has {n} characters (80-200)")
            for lang in ("en", "zh"):
                w = p["why"][lang]
                if "\n" in w.strip() or len(w) > 220:
                    problems.append(f"{pid}: why.{lang} should be one line (<= 220 chars)")
            if not re.search(r"[\u4e00-\u9fff]", p["title_zh"]):
                problems.append(f"{pid}: title_zh has no Chinese")
            if not p["aliases"]["en"] or not p["aliases"]["zh"]:
                problems.append(f"{pid}: needs aliases in both languages")
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
