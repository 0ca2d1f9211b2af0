"""The question patterns: regular expressions that read a question's kind, list and subject.

All of them run on folded text (:func:`bot.core.text.fold`: lower case, Simplified Chinese).
In each table the first pattern that matches wins, so the order matters. A line of a pattern is
one alternative or one group where that keeps it under the line length; each pattern is one
expression all the same.
"""

from __future__ import annotations

import re

from bot.core.answers.model import Facet

# Trailing punctuation and spaces, stripped before anything else.
END_PUNCT = re.compile(r"[\s?？!！.。~～,，]+$")

# -- which list ---------------------------------------------------------------------------------

# A list named in the question ("on Li Mu's list", "李沐的清单", "paper-reading"), with the list
# it names; the mention is cut out of the question.
LIST_MENTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\s*\b(?:on|in|from|of)\s+(?:the\s+)?(?:li\s*mu'?s?|mu\s*li'?s?)\s*"
            r"(?:paper[\s-]?reading\s*)?(?:list|reading list)?\b"
        ),
        "paper-reading",
    ),
    (
        re.compile(r"\s*\b(?:on|in|from|of)\s+(?:the\s+)?paper[\s-]reading(?:\s+list)?\b"),
        "paper-reading",
    ),
    (
        re.compile(
            r"\s*(?:在|于)?(?:李沐|沐神|mu li|li mu)(?:老师)?的?(?:论文精读|精读|列表|清单|书单)?"
            r"(?:列表|清单|书单)?(?:里|中|上)?的?"
        ),
        "paper-reading",
    ),
    (re.compile(r"\s*(?:深度学习)?(?:论文)?精读(?:列表|清单)?(?:里|中|上)?的?"), "paper-reading"),
    (
        re.compile(
            r"\s*\b(?:on|in|from|of)\s+(?:the\s+)?(?:ilya(?:\s+sutskever)?'?s?|sutskever'?s?)"
            r"\s*(?:30\s*)?(?:list|reading list|papers)\b"
        ),
        "sutskever-30",
    ),
    (
        re.compile(r"\s*\b(?:on|in|from|of)\s+(?:the\s+)?sutskever[\s-]30(?:\s+list)?\b"),
        "sutskever-30",
    ),
    (
        re.compile(r"^(?:ilya|sutskever)(?:'s)?\s+(?=(?:paper|item|number|no\.?|#)\s*\d)"),
        "sutskever-30",
    ),
    (
        re.compile(r"^(?:li\s*mu|mu\s*li)(?:'s)?\s+(?=(?:paper|item|number|no\.?|#)\s*\d)"),
        "paper-reading",
    ),
    (
        re.compile(
            r"\s*(?:在|于)?(?:ilya|伊利亚|sutskever)\s*(?:sutskever)?的?\s*(?:30\s*篇?)?"
            r"(?:列表|清单|书单)(?:里|中|上)?的?"
        ),
        "sutskever-30",
    ),
)

# -- list-level questions -----------------------------------------------------------------------

# Common phrasings of list questions, rewritten into the forms the patterns below read.
LIST_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\s+(?:on here|here|on (?:the|this|my|your) list|in (?:the|this|my|your) list)$"
        ),
        "",
    ),
    (
        re.compile(r"^(?:which|what) (?:papers?|ones?|works?|items?) (?:are|were|is|was) "),
        "papers ",
    ),
    (re.compile(r"^what'?s (?:from|in) ((?:19|20)\d\d)$"), r"papers from \1"),
    (re.compile(r"^(?:what'?s|what is|what are) in (?:the )?(.+)$"), r"papers in \1"),
)

# How many papers: "how many papers are on the list", "一共多少篇".
COUNT_QUESTION = re.compile(
    r"\bhow many\b.*\b(?:papers?|items?|entries|articles?|readings?|things?)\b"
    r"|\bhow (?:long|big) is (?:the|this|your) list\b|\bnumber of (?:papers|items)\b"
    r"|^how many(?: are there)?$"
    r"|(?<![哪那])(?:多少|几)\s*(?:篇|个|项|本)|有多少(?:论文|文章)|一共.*(?:篇|论文)|总共.*(?:篇|论文)"
    r"|论文(?:数量|总数)"
)

# "Which papers have a video", "李沐讲过哪些论文": the papers with Li Mu's recorded readings.
VIDEO_LIST_QUESTION = re.compile(
    r"\b(?:which|what|any|list|show(?: me)?)(?: of)?(?: the| all the)? (?:papers?|ones|readings)"
    r"(?: \w+){0,2} (?:have|has|with|come with|got)(?: \w+){0,2} (?:videos?|video readings?)\b"
    r"|\b(?:do|are there) (?:the|all the|any) papers (?:have|with) (?:any )?videos?\b"
    r"|^(?:the |all |any )?(?:papers|ones) with (?:a |li mu'?s? )?videos?$"
    r"|\b(?:li mu|mu li)(?:'?s)? (?:videos|video readings|recordings|video list)\b"
    r"|^(?:all )?(?:the )?(?:li mu|mu li)(?:'?s)? videos?$"
    r"|\b(?:which|what) papers? (?:did|has|have) (?:li mu|mu li) "
    r"(?:read|cover|record|explain|do|done)"
    r"|(?:有|带)(?:视频|讲解视频|精读视频|录像)的(?:论文|文章|有哪些)"
    r"|哪些(?:论文|文章|篇)?有(?:视频|讲解视频|精读视频)"
    r"|李沐(?:讲|读|精读|录|解读|讲解)过(?:哪些|什么|的)"
    r"|李沐的(?:视频|精读视频)(?:有哪些|列表|清单|都有什么|$)"
    r"|(?:视频|精读视频)(?:列表|清单|目录)"
)

# The N-th paper. The lead and the list tail are cut first ("what is the 3rd paper on the list").
POSITION_LEAD = re.compile(
    r"^(?:what(?:'s| is)|which is|which paper is|what paper is|show(?: me)?|give me|"
    r"tell me about|open|read)\s+"
)
POSITION_LIST_TAIL = re.compile(r"\s+(?:on|in) (?:the|my|this) list$|\s+about$")
# "paper 7", "#7", "the 7th paper": group 1 is the number.
POSITION_NUMBERED = (
    re.compile(
        r"(?:paper|item|entry|number|no\.?|#|list item|article|reading)\s*"
        r"(?:no\.?|number|#)?\s*(\d{1,3})"
    ),
    re.compile(r"#\s*(\d{1,3})"),
    re.compile(r"(?:the\s+)?(\d{1,3})(?:st|nd|rd|th)(?:\s+(?:paper|item|entry|one))?"),
)
# "the third paper", "the last one": group 1 is an ordinal word (or "last").
POSITION_WORD = re.compile(r"(?:the\s+)?(\w+)\s+(?:paper|item|entry|one)")
# "第7篇", "第十二个": group 1 is the number, in digits or Chinese numerals.
POSITION_ZH = re.compile(r"第\s*([0-9零一二两三四五六七八九十百]+)\s*(?:篇|个|项|号|本)")
LAST_ZH = re.compile(r"最后一(?:篇|个)(?:论文|是什么|是哪篇)*")
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
ZH_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# Papers from a year: "papers from 2015", "2017年的论文". Group 1 is the year.
YEAR_QUESTIONS = tuple(
    re.compile(p, re.S)
    for p in (
        r"(?:(?:what|which|any|all|the)\s+)?(?:papers?|works?|articles?|items?)\s+"
        r"(?:are |were |was )?(?:from|in|published in|of|written in|released in)\s+"
        r"((?:19|20)\d\d)",
        r"((?:19|20)\d\d)(?:'s)?\s+(?:papers?|articles?|works?)",
        r"(?:what|which)(?: papers?)? (?:was|were|came out|got) (?:published |released )?"
        r"in ((?:19|20)\d\d)",
        r".*?((?:19|20)\d\d)\s*年(?:发表|出版|发布|写)?的?(?:论文|文章|工作).*",
        r".*?((?:19|20)\d\d)\s*年(?:有|的)?(?:哪些|什么)(?:论文|文章).*",
        r"((?:19|20)\d\d)\s*年(?:发表)?的?(?:有哪些|都有什么|有什么|有哪几篇)",
        r"(?:anything|something|stuff) (?:from|in) ((?:19|20)\d\d)",
        r"(?:anything|something|what|which|papers?) (?:was |were )?(?:published|written|released)"
        r" in ((?:19|20)\d\d)",
        r"(?:有)?\s*((?:19|20)\d\d)\s*年(?:发表|出版|发布|写)?的(?:吗|呢)?",
        r"(?:any|which|what)\b.*\b(?:papers?|ones|anything)\b.*\b(?:from|in)\s+((?:19|20)\d\d)",
        r"((?:19|20)\d\d)\s*年(?:的|那些)(?:论文|文章)?(?:有哪些|是什么|是哪些)",
        r".*?(?:哪些|什么)(?:论文|文章)是\s*((?:19|20)\d\d)\s*年.*",
    )
)

# Papers by an author: "papers by Oriol Vinyals", "Hinton 的论文". Group 1 is the name.
AUTHOR_QUESTIONS = tuple(
    re.compile(p, re.S)
    for p in (
        r"(?:(?:what|which|any|all|the|list)\s+)?"
        r"(?:papers?|works?|articles?|stuff|everything|things)\s+"
        r"(?:written |authored |co-?authored )?(?:by|from|of)\s+(.+)",
        r"(?:what|which)(?: papers?)? (?:did|has|have|does) (.+?) "
        r"(?:write|written|author|authored|co-?author|publish|published)"
        r"(?: on the list| that'?s(?: on)?(?: here| the lists?)?| here)?",
        r"(?:papers?|works?) (.+?) (?:wrote|authored|co-?authored|published)",
        r"(.+?)\s+(?:stuff|things)",
        r"(.+?)\s*的?那(?:几|些)篇(?:论文)?",
        r"(?:anything|something|stuff|papers?) (?:by|from|with|of)\s+(.+)",
        r"(?:show me |list )?(.+?)(?:'s|s'|')?\s+(?:papers?|works?)",
        r"(.+?)\s*(?:自己)?(?:写|发表|参与|合写)(?:了|过)?(?:哪些|什么|的|哪几篇)\s*"
        r"(?:论文|文章|工作|作品)?(?:有哪些)?",
        r"(.+?)\s*的\s*(?:论文|文章|工作|作品)(?:有哪些|都有什么|有什么|有几篇)?",
        r"(.+?)\s*有(?:哪些|什么)(?:论文|文章|工作|作品)",
        r"(?:有哪些|哪些)(?:论文|文章)是\s*(.+?)\s*写的",
    )
)

# Papers about a topic or in a category: "papers about attention", "关于 RNN 的论文". Group 1
# is the subject.
TOPIC_QUESTIONS = tuple(
    re.compile(p, re.S)
    for p in (
        r"(?:(?:what|which|any|all|the|list|show me|show)\s+)*"
        r"(?:papers?|works?|articles?|readings?|items?)\s+(?:are |is )?"
        r"(?:about|on|regarding|related to|covering|cover|in|for|in the field of|dealing with)"
        r"\s+(.+)",
        r"(?:anything|something|stuff) (?:about|on|regarding)\s+(.+)",
        r"^(.+?)\s+(?:stuff|things|papers? and stuff)$",
        r"(?:(?:what|which|any|all|the|list|show me|show|papers? in)\s+)*"
        r"(.+?\s+(?:category|section|group))(?:\s+papers)?(?: on the list)?",
        r"(?:(?:what|which|any|all|the|list|show me|show)\s+)*"
        r"(.+?)\s+(?:papers|articles|readings)(?: on the list)?",
        r"(?:有没有|有无)?(.+?)\s*的\s*(?:论文|文章)",
        r"(?:有哪些|有什么|有没有)(.+?)(?:的)?(?:论文|文章)?",
        r"(?:有哪些|哪些)?(?:关于|有关)\s*(.+?)\s*(?:方面|相关|领域)?的?(?:论文|文章)(?:有哪些)?",
        r"(.+?)\s*(?:方面|相关|领域|类|类别|分类)?的?(?:论文|文章)(?:有哪些|都有什么|有什么)",
        r"(.+?)\s*(?:方面|相关|领域|类别?|分类)的?(?:论文|文章)",
        r"(.+?)\s*有(?:哪些|什么)(?:论文|文章)?",
        r"^(.+?)\s*(?:相关|有关)的?(?:内容|东西|工作)?$",
    )
)

# Words that mark a subject as a section ("the systems category", "生成模型这一类"); they are
# cut before the subject is looked up.
SECTION_WORDS = re.compile(
    r"\b(?:section|category|categories|group|part|related|field)\b|这一类|这类|分类下?|类别|"
    r"一类|类下|板块|部分|领域|方面|相关|有没有|有哪些|关于|有关|这个|这一个|那个|下$|类$"
)
SUBJECT_LEAD = re.compile(r"^(?:(?:the|a|an|in|about|on|regarding)\s+)+|^(?:关于|有关)\s*")
CONJUNCTION = re.compile(r"\s*(?:\band\b|\bor\b|&|以及|和|与|及|或|、)\s*")

# -- questions about one paper ------------------------------------------------------------------

# The facets of a question about one paper, tried in order; the match is cut out and the rest
# is the subject that names the paper. "what" (the card) is the default.
FACETS: tuple[tuple[Facet, re.Pattern[str]], ...] = (
    (
        "authors",
        re.compile(
            r"^(?:who'?s behind|who is behind|"
            r"who (?:wrote|writes|authored|created|made|published|invented|proposed|"
            r"came up with|is behind|are behind|did|teaches|taught|teach)|"
            r"who are the authors? of|who is the author of|"
            r"who's the author of|(?:the )?authors? of|(?:the )?writers? of)\s+"
            r"|\s+(?:authors?|author list|written by whom|by whom)$"
            r"|\s*的?(?:作者|作者们)(?:是谁|有谁|有哪些|是哪些人|都有谁|是)?$|^谁写(?:了|的)\s*"
            r"|\s*(?:是)?谁写的$|\s*(?:由谁|是谁)(?:写|提出|发表)的?$|^(?:作者)\s*"
        ),
    ),
    (
        "year",
        re.compile(
            r"^(?:when (?:was|were|is|did)|what year (?:was|is|did)|which year (?:was|is|did)|"
            r"in (?:what|which) year (?:was|is|did)|(?:the )?year of|"
            r"(?:the )?publication year of|"
            r"(?:the )?release year of|how old is)\s+|\s+(?:published|released|written|"
            r"come out|came out|appear|appeared|publish|release|publication year|year)$"
            r"|\s*(?:是|在|于)?(?:哪一年|哪年|什么时候|何时|几几年|哪一年份)"
            r"(?:发表|出版|发布|提出|写|出来|发|出)?"
            r"(?:的)?(?:论文|文章)?$|\s*的?(?:发表|出版|发布)?(?:年份|时间|年代)(?:是)?$"
        ),
    ),
    (
        "link",
        re.compile(
            r"^(?:(?:a |the )?(?:link|links|url|pdf|download link)s? (?:to|for|of)|"
            r"where (?:can|do|could|should) i (?:find|read|get|download)|where is|"
            r"give me (?:the |a )?(?:link|url|pdf) (?:to|for|of)|download)\s+"
            r"|^arxiv (?:link |url |page )?(?:to|for|of)\s+"
            r"|\s+(?:arxiv )?(?:link|url|pdf|download|arxiv)$"
            r"|\s*的?\s*(?:arxiv)?\s*(?:链接|连结|地址|网址|下载地址|下载|pdf|原文|arxiv)"
            r"(?:是|在哪|在哪里|是什么)?$"
            r"|^(?:在哪(?:里)?(?:看|读|找|下载)(?:到)?)\s*|\s*(?:在哪(?:里)?(?:看|读|找|下载)(?:到)?)$"
        ),
    ),
    (
        "why",
        re.compile(
            r"^(?:why (?:should|would|do|must|need) (?:i|we|you|one) (?:read|study|care about)|"
            r"why (?:read|study)|why is|why was|what makes|reasons? to read|is it worth reading|"
            r"why does|what'?s so (?:important|special|great|good) about)\s+"
            r"|^(?:is|should i read)\s+(?=.+\s+worth (?:it|reading|a read)$)"
            r"|\s+(?:on (?:the|this) list|in (?:the|this) list)$"
            r"|^(?:为什么|为何|为啥)\s*(?:ilya|伊利亚|李沐)?\s*(?:要|应该|值得|需要|会)?"
            r"(?:读|看|学|推荐)?\s*"
            r"|\s*(?:为什么|为何|为啥)(?:值得读|值得一读|重要|在(?:列表|清单)里|入选|被推荐).*$"
            r"|\s*(?:的)?(?:推荐理由|阅读理由|意义|价值)(?:是什么)?$|\s*值得(?:一)?读吗?$"
        ),
    ),
)
# What is left of a "why" question after its subject: "... matters", "... so important".
WHY_TAIL = re.compile(r"\s+(?:matters?|(?:so )?important|worth (?:it|reading|a read))$")
# An author and a few words about one of their papers: "krizhevsky 的 imagenet 分类论文",
# "kingma's lossy vae paper" (group 1 the author, group 2 the words).
AUTHOR_AND_WORDS = re.compile(
    r"^(.+?)\s*(?:的|'s|s')\s*(.+?)\s*(?:论文|文章|paper|article|post)?$"
)
# Words that lead on from an earlier message ("and who wrote alexnet?", "那 GAN 呢"): cut first.
LEAD_ON = re.compile(
    r"^(?:and|so|ok(?:ay)?|then|also|what about|how about|那么?|还有|所以)[\s,，]+"
)


def first_match(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    """Return the full match of the first pattern that matches all of ``text``, or None."""
    for pattern in patterns:
        m = pattern.fullmatch(text)
        if m:
            return m
    return None


def list_question(text: str) -> str:
    """Rewrite common phrasings of list questions into the forms the patterns read.

    "which papers are by X" -> "papers by X", "what's in the systems category" -> "papers in
    the systems category", "anything from karpathy on here" -> "anything from karpathy".
    """
    for pattern, repl in LIST_REWRITES:
        text = pattern.sub(repl, text).strip()
    return text


def zh_number(text: str) -> int | None:
    """Read a number in digits or Chinese numerals up to the hundreds ("十二" -> 12).

    Returns:
        The number, or None if ``text`` is neither.
    """
    if text.isdigit():
        return int(text)
    if not text or any(ch not in ZH_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            current = ZH_DIGITS[ch]
    return total + current
