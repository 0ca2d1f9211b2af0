"""Li Mu's recorded readings on cards, lists, reminders and ``/progress``.

A paper's videos come from ``knowledge/videos.yaml`` (:class:`~bot.core.catalogue.Video`).
The parts of one series (the five Llama 3.1 parts) show as one entry with the parts and the
total length; a video that covers several papers (a survey) says how many.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.core.catalogue import Paper, ReadingList, Video
from bot.features.reply import esc
from bot.i18n import base_lang, format_duration, t

SITE_NAMES = {"bilibili": "Bilibili", "youtube": "YouTube", "zhihu": "Zhihu"}
SITE_NAMES_ZH = {"bilibili": "B站", "youtube": "YouTube", "zhihu": "知乎"}


def _sites(video: Video, lang: str) -> list[tuple[str, str]]:
    """(site name, url) for each link, Bilibili first for Chinese readers, YouTube first
    for English ones."""
    order = (
        ("bilibili", "youtube", "zhihu")
        if base_lang(lang) == "zh"
        else ("youtube", "bilibili", "zhihu")
    )
    names = SITE_NAMES_ZH if base_lang(lang) == "zh" else SITE_NAMES
    links = dict(video.links)
    return [(names[s], links[s]) for s in order if s in links]


def _links(video: Video, lang: str) -> str:
    return " · ".join(f'<a href="{esc(url)}">{name}</a>' for name, url in _sites(video, lang))


def _groups(videos: Iterable[Video]) -> list[list[Video]]:
    """Videos grouped by series (a video outside any series is its own group), in order."""
    groups: list[list[Video]] = []
    by_series: dict[str, list[Video]] = {}
    for video in videos:
        if video.series is None:
            groups.append([video])
        elif video.series in by_series:
            by_series[video.series].append(video)
        else:
            by_series[video.series] = [video]
            groups.append(by_series[video.series])
    return groups


def _entry(group: list[Video], lang: str) -> str:
    """One line for a video, or for a whole series."""
    first = group[0]
    if len(group) == 1:
        line = t(
            lang,
            "video_entry",
            title=esc(first.display_title(base_lang(lang))),
            length=format_duration(first.duration_seconds, lang),
            links=_links(first, lang),
        )
    else:
        total = sum(v.duration_seconds for v in group)
        parts = " · ".join(
            f'<a href="{esc(_sites(v, lang)[0][1])}">{i}</a>' for i, v in enumerate(group, 1)
        )
        line = t(
            lang,
            "video_series",
            title=esc(first.series or ""),
            parts=len(group),
            length=format_duration(total, lang),
            links=parts,
        )
    if len(first.covers) > 1:
        line += t(lang, "video_covers", count=len(first.covers))
    return "  • " + line


def video_block(paper: Paper, lang: str) -> list[str]:
    """The card's video lines (a heading and one line per video or series), or [] when the
    paper has no recorded reading."""
    if not paper.videos:
        return []
    return [t(lang, "card_videos"), *(_entry(g, lang) for g in _groups(paper.videos))]


def video_seconds_left(papers: Mapping[str, Paper], lst: ReadingList, done: Iterable[str]) -> int:
    """Seconds of video among the list's papers not yet read or skipped (each video once)."""
    finished = set(done)
    seen: dict[str, int] = {}
    for pid in lst.order:
        if pid in finished:
            continue
        for video in papers[pid].videos:
            seen[video.key] = video.duration_seconds
    return sum(seen.values())
