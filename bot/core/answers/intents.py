"""What a question asks for, when it is not (only) a paper's name: the intent patterns.

Each table reads folded text (lower case, Simplified Chinese, no end punctuation) and the first
pattern that matches wins. Patterns that name a paper capture it as ``s`` (or ``a`` and ``b``
for a comparison); the caller matches those spans with the :class:`~bot.core.matching.Matcher`
and answers only when the match is confident, so a pattern can never make a wrong card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _full(*alternatives: str) -> re.Pattern[str]:
    """One pattern that must match the whole text: the alternatives joined by ``|``."""
    return re.compile(r"^(?:" + "|".join(alternatives) + r")$")


def _each(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


# -- conversation -------------------------------------------------------------------------------

_PLEASE = r"(?:\s*(?:please|pls|plz|thanks|请|吧|呗))?"

#: Greetings, thanks, goodbyes and acknowledgements ("ok"), by what the reply says back ("who
#: are you": the greeting).
_SMALLTALK_ALTERNATIVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "thanks",
        (
            r"(?:ok(?:ay)?\s*,?\s*)?(?:thanks?|thank (?:you|u)|thx|tx|ty|cheers|many thanks)"
            r"(?:\s+(?:so much|a lot|very much|a bunch|again))?(?:\s*!+)?",
            r"(?:good|nice|great) (?:bot|job|work)",
            r"you(?:'re| are) (?:awesome|great|the best|amazing|helpful)",
            r"(?:好的?\s*[，,]?\s*)?(?:谢谢(?:你|啦|了|您)?|多谢|感谢|谢啦|谢了|感恩)(?:\s*[!！]+)?",
            r"(?:你)?(?:真棒|太棒了|厉害|好厉害|好用)",
        ),
    ),
    (
        "bye",
        (
            r"(?:good\s*)?bye|see (?:you|ya)(?: later| tomorrow)?|good night|later|cya|gn",
            r"再见|拜拜|掰掰|拜|晚安|回头见|下次见|明天见",
        ),
    ),
    (
        "hello",
        (
            r"(?:hi|hello|hey|hiya|yo|howdy|greetings|good (?:morning|afternoon|evening))"
            r"(?:\s+(?:there|bot|paperbot))?",
            r"who (?:are|r) (?:you|u)|what are you|are you (?:a )?(?:bot|robot|human|real|an? ai)",
            r"你好(?:呀|啊|哇)?|您好|哈喽|哈啰|嗨|早(?:上好|安)?|晚上好|下午好|在吗",
            r"你是谁|你是(?:机器人|人|ai|什么)吗?|(?:是)?机器人吗",
        ),
    ),
    (
        "ok",
        (
            r"(?:ok(?:ay)?|cool|nice|great|lol|haha+|hmm+|alright|got it|i see)",
            r"好的?|好喔|好哦|好吧|嗯+|哈哈+|ok|知道了|明白了?",
        ),
    ),
)
SMALLTALK: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (detail, _full(*alternatives)) for detail, alternatives in _SMALLTALK_ALTERNATIVES
)
#: Words that go with smalltalk and say nothing more ("that helped a lot", "anyway", "请问").
_SMALLTALK_FILLER = re.compile(
    r"(?:that|this|it|you)(?: really| so| very)? (?:helped|helps|was helpful|is helpful)"
    r"(?: me)?(?: a lot| so much)?|(?:that|this|it)(?: was|'s| is)(?: really| so| very)? "
    r"(?:helpful|useful|great|nice)|anyway|again|so much|a lot|mate|man|bro|buddy|all|"
    r"请问|呀|啊|啦|了|哈+|~+"
)
_SMALLTALK_PIECES = tuple(
    (detail, re.compile("|".join(alternatives)))
    for detail, alternatives in _SMALLTALK_ALTERNATIVES
)
_PIECE_END = re.compile(r"[\s,，.。!！~～?？…、]+|$|(?=[\u4e00-\u9fff])")


def smalltalk_run(text: str) -> str | None:
    """The kind of a message made only of smalltalk pieces and filler ("thx, that helped a
    lot", "谢啦 晚安", "请问你是谁"): the first piece's kind, or None if anything else is said."""
    pos, first = 0, None
    while pos < len(text):
        for detail, piece in (*_SMALLTALK_PIECES, (None, _SMALLTALK_FILLER)):
            m = piece.match(text, pos)
            end = m and _PIECE_END.match(text, m.end())
            if m and end and m.end() > pos:
                first = first or detail
                pos = end.end()
                break
        else:
            return None
    return first


#: Commands asked for in words ("next paper please", "下一篇"), by command name.
COMMANDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "next",
        _full(
            r"(?:(?:give|show|send) me |what(?:'s| is) )?(?:the |my )?next(?: (?:paper|one))?"
            + _PLEASE,
            r"(?:another|one more)(?: (?:paper|one))?" + _PLEASE,
            r"(?:请|给我)?(?:下一篇|下一个|再来一篇|再来一个|继续)(?:论文)?" + _PLEASE,
        ),
    ),
    (
        "progress",
        _full(
            r"(?:show |what(?:'s| is) )?(?:me )?(?:my )?progress" + _PLEASE,
            r"how far (?:along )?am i",
            r"how (?:much|many) (?:have i|did i) read",
            r"(?:我的|查看)?进度",
            r"我读到哪(?:了|里了|儿了|一篇了)?",
            r"我读了多少(?:篇)?(?:了)?",
        ),
    ),
    (
        "lists",
        _full(
            r"(?:which|what) (?:reading )?lists(?: are there| do you have)?",
            r"(?:switch|change) (?:the |my )?lists?",
            r"有哪些(?:书单|清单|列表)(?:可以选)?",
            r"(?:换|切换)(?:一个|一下)?(?:书单|清单|列表)",
        ),
    ),
    (
        "list",
        _full(
            r"(?:show (?:me )?)?(?:the )?(?:whole |full |entire )?list" + _PLEASE,
            r"(?:show|list) (?:me )?all (?:the )?papers",
            r"(?:列出|显示)?(?:所有|全部)(?:的)?论文",
            r"(?:把|将)?(?:目前|当前|这个|这份)?(?:清单|列表|书单)?(?:里|中)?的?(?:论文)?"
            r"(?:全部|都)?(?:列出来|列一下|列出|显示出来)",
            r"(?:显示|列出)(?:整份|整个)?(?:清单|列表)",
            r"论文列表",
        ),
    ),
    (
        "settings",
        _full(
            r"(?:(?:open|show|go to) (?:the |my )?)?settings?" + _PLEASE,
            r"(?:change|set) (?:my )?(?:reminder(?: time)?|time ?zone|language)",
            r"(?:打开|查看|显示|进入)?(?:设置|设定)|修改提醒(?:时间)?|改(?:一下)?提醒时间",
        ),
    ),
    (
        "random",
        _full(
            r"(?:give me |show me |send me |pick |suggest )?(?:a )?random(?: paper| one)?"
            + _PLEASE,
            r"surprise me(?: with (?:a |any )?(?:random )?(?:paper|one))?" + _PLEASE,
            r"(?:pick|choose) (?:a paper|one|something) (?:for me|at random)" + _PLEASE,
            r"(?:请|给我)?(?:随便|随机)(?:来|抽|挑|选|推荐|给我)?(?:一|1)篇(?:给我|吧)?(?:论文)?",
        ),
    ),
    (
        "help",
        _full(
            r"help|menu|commands|what can you do|how does this work|/?\?",
            r"帮助|菜单|选单|命令|你能做什么|怎么用",
        ),
    ),
)

#: "Where should I start": the asker's next unread paper.
START = _full(
    r"(?:so |ok(?:ay)?,? |ok let'?s begin,? )?where (?:should|do|can) i (?:start|begin)"
    r"(?: (?:with )?(?:it|this|the list|reading))?",
    r"where to (?:start|begin)(?: (?:with )?.*)?",
    r"(?:ok(?:ay)?,? )?let'?s (?:begin|start),? what(?:'s| is) the first (?:paper|one)",
    r"what(?:'s| is) the first (?:paper|one) (?:i should|to) read",
    r"(?:what|which) (?:paper )?(?:should|do) i read first",
    r"i'?m new(?: to this)?,? (?:what|which) (?:do|should) i read first",
    r"(?:a )?good starting point",
    r"how (?:do|should) i (?:start|begin)",
    r".*从哪(?:篇|里|儿|一篇)?(?:开始|读起|看起)(?:读|看)?(?:比较好)?",
    r"(?:我是新手|我完全没基础|新手)?[，,]?\s*(?:应该|要)?(?:先|从)(?:读|看)?哪(?:篇|一篇|个)"
    r"(?:开始|比较好|好)?",
    r"(?:系列)?先看哪(?:篇|一篇|个)(?:比较好)?",
)

#: Questions about the lists themselves ("what is this list", "90%").
LIST_INFO = (
    _full(
        r"what(?:'s| is) (?:this|the|that) (?:reading )?list(?: about)?",
        r"(?:who|whom) (?:made|compiled|curated|put together|created) (?:this|the|that)"
        r"(?: (?:reading )?list)?",
        r"where (?:does|did) (?:this|the) list come from",
        r"why (?:these|those) papers",
        r"why (?:is it|are there) \d+ (?:and )?not \d+",
        r"what order are the papers in.*",
        r"(?:is it true|do they really|does it really).*(?:90|ninety).*",
        r"did ilya (?:really|actually) .*",
        r"是什么|是啥|是什么来头",
        r"(?:这个|这份|那份)?(?:书单|清单|列表)?是谁(?:整理|做|列|推荐)的",
        r"(?:这个|这份|那份)?(?:书单|清单|列表)?(?:是)?(?:怎么来的|从哪(?:里|儿)?来的)",
        r"(?:那份)?(?:论文)?(?:书单|清单|列表)?(?:是怎么来的|是真的吗)",
        r"为什么选(?:这些|了这些)(?:论文)?",
        r".*(?:90\s*%|百分之九十).*",
        r"为什么.*(?:清单|书单|列表)里.*",
        r"(?!.*第\s*[0-9零一二两三四五六七八九十百]+\s*(?:篇|个))"
        r".*(?:ilya|伊利亚|sutskever|李沐|清单|书单|列表|30\s*篇).*"
        r"(?:是真的吗|是怎么来的|怎么来的|从哪(?:里|儿)?来的|是谁(?:整理|做|列|推荐)的|是什么)",
    ),
)

# -- about papers -------------------------------------------------------------------------------

#: "mark X as read", "I finished X", "我读完了 X", "skip X", "share X": ``(action, pattern)``.
ACTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (action, re.compile(p))
    for action, p in (
        ("read", r"^(?:please )?mark (?P<s>.+?) (?:as )?(?:read|done|finished)$"),
        ("skip", r"^(?:please )?mark (?P<s>.+?) (?:as )?skipped$"),
        ("read", r"^(?:i(?:'ve| have)? )?(?:just )?(?:finished|completed|done with) (?P<s>.+)$"),
        ("read", r"^(?:i )?just read (?P<s>.+?)(?:,? mark it(?: as read)?)?$"),
        ("read", r"^i(?:'ve| have)? read (?P<s>.+)$"),
        ("skip", r"^(?:please )?skip (?P<s>.+?)(?:\s*,.*)?$"),
        ("share", r"^share (?P<s>.+?)(?: with (?:a|my|some) friends?| with others)?$"),
        ("read", r"^(?:我)?(?:已经)?(?:读完了|读完|看完了|读过了|看过了)\s*(?P<s>.+)$"),
        ("read", r"^(?:把|将)\s*(?P<s>.+?)\s*(?:标记为|标为|设为|记为)(?:已读|读过|读完)$"),
        ("read", r"^标记\s*(?P<s>.+?)\s*为已读$"),
        ("read", r"^(?P<s>.+?)\s*(?:已读|读完了|读过了|看完了)$"),
        ("skip", r"^(?:先)?跳过\s*(?P<s>.+)$"),
        ("skip", r"^(?P<s>.+?)\s*(?:那篇|这篇)?\s*(?:先)?跳过(?:吧)?$"),
        ("share", r"^分享\s*(?P<s>.+?)(?:\s*给.*)?$"),
        ("share", r"^(?:把|将)\s*(?P<s>.+?)\s*(?:那篇)?\s*分享(?:出去|给.*)?$"),
    )
)

#: "X vs Y", "difference between X and Y", "X 和 Y 有什么区别".
COMPARE = _each(
    r"^(?:what(?:'s| is) the )?diff(?:erence)?s? between (?P<a>.+?) and (?P<b>.+)$",
    r"^how (?:is|does) (?P<a>.+?) differ(?:ent)? (?:from|to|than) (?P<b>.+)$",
    r"^compare (?P<a>.+?) (?:and|with|to|vs\.?) (?P<b>.+)$",
    r"^(?:which|what) (?:one )?(?:is|'s) (?:better|best|more useful),? (?P<a>.+?) or (?P<b>.+)$",
    r"^(?:should i read )?(?P<a>.+?) or (?P<b>.+?),? (?:which|what) (?:one )?(?:is )?(?:better|first)$",
    r"^(?P<a>.+?) (?:vs\.?|versus|compared (?:to|with)) (?P<b>.+?)"
    r"(?:\s*[,?].*|,? (?:what'?s|whats|how|are they|which).*)?$",
    r"^(?P<a>.+?)\s*(?:和|跟|与|同|对比|vs\.?)\s*(?P<b>.+?)\s*(?:的)?(?:有)?(?:什么|啥|哪些)?"
    r"(?:(?:区别|不同|差别|差异|不一样)(?:在哪(?:里|儿)?|是什么|有哪些)?|差在哪(?:里|儿)?|"
    r"比较(?:一下)?|谁更好|哪个更好|哪个好|对比|有啥不一样|比起来差在哪(?:里)?|比起来怎么样)$",
)

#: "what should I read after X", "X 之后读什么": ``(direction, pattern)``.
RELATED: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (d, re.compile(p))
    for d, p in (
        ("after", r"^what (?:should|do|can) i read (?:after|next after|following) (?P<s>.+)$"),
        ("after", r"^(?:what|which papers?) (?:came|come|comes|were written) after (?P<s>.+)$"),
        ("after", r"^(?:what|which papers?) (?:builds?|built) on (?P<s>.+)$"),
        ("after", r"^follow[- ]?ups? (?:to|of|on|for) (?P<s>.+)$"),
        ("after", r"^(?P<s>.+?) follow[- ]?ups?$"),
        ("after", r"^(?:what|stuff|papers|things) to read after (?P<s>.+)$"),
        ("before", r"^what (?:do|should) i (?:need to )?read (?:first )?before (?P<s>.+)$"),
        ("before", r"^(?:what|stuff|papers|things) to read before (?P<s>.+)$"),
        ("before", r"^(?:prereq(?:uisite)?s?|background) (?:for|of|to|before) (?P<s>.+)$"),
        ("before", r"^what does (?P<s>.+?) build on$"),
        (
            "both",
            r"^(?:papers?|anything|more stuff|stuff|more|something) (?:similar to|like|related to) (?P<s>.+)$",
        ),
        ("both", r"^(?:similar to|related to) (?P<s>.+)$"),
        ("both", r"^(?:papers?|works?) related to (?P<s>.+)$"),
        (
            "after",
            r"^(?:读完|看完)?\s*(?P<s>.+?)\s*(?:之后|以后|后面|后)\s*(?:该|应该|可以|要|需要|接着|再|接下来)*(?:读|看|还有)(?:什么|啥|哪些|哪篇|哪几篇)(?:相关工作|论文)?$",
        ),
        ("after", r"^读完\s*(?P<s>.+?)\s*(?:下一篇|接下来)(?:看|读)?(?:什么|啥|哪篇)$"),
        ("after", r"^(?:and )?(?:what )?(?:comes )?(?:after|next after) (?P<s>that|this|it)$"),
        (
            "after",
            r"^(?P<s>它|这篇|那篇|)\s*(?:之后|以后)(?:该|应该|可以|要|再)*(?:读|看)(?:什么|啥|哪篇)$",
        ),
        ("after", r"^(?P<s>.+?)\s*读完了\s*[，,]?\s*接下来(?:呢|读什么|看什么)?$"),
        ("after", r"^(?P<s>.+?)\s*(?:之后|以后|后)的延伸阅读$"),
        ("after", r"^(?P<s>.+?)\s*的(?:后续|后续工作|延伸阅读)(?:有哪些)?$"),
        (
            "before",
            r"^(?:读|看)?\s*(?P<s>.+?)\s*(?:之前|以前|前)\s*(?:要|需要|应该|最好)?先?(?:读|看)(?:什么|啥|哪些|哪几篇|哪篇)$",
        ),
        ("before", r"^(?P<s>.+?)\s*的前置(?:知识|论文|阅读)$"),
        ("before", r"^(?P<s>.+?)\s*之前的(?:那几篇|论文)(?:是哪些)?$"),
        ("both", r"^(?:和|跟|与)\s*(?P<s>.+?)\s*相关的(?:论文|工作)?(?:有哪些)?$"),
        ("both", r"^(?P<s>.+?)\s*(?:的)?相关(?:的)?(?:论文|工作)(?:有哪些)?$"),
    )
)

#: "video for X", "李沐讲 X 的视频", "B站 X 精读".
VIDEO = _each(
    r"^(?:is there (?:a|any) )?(?:li mu'?s? |mu li'?s? )?videos? (?:walkthrough )?(?:for|of|on|about) (?P<s>.+)$",
    r"^any videos? (?:walkthrough|explanation|reading)s? (?:of|for|on) (?P<s>.+)$",
    r"^(?:li mu|mu li)?'?s? ?(?:reading|video|walkthrough|explanation) (?:of|on|for|about) (?P<s>.+)$",
    r"^(?:youtube|bilibili|b站) (?:link|video|url)s? (?:for|of|to|on) (?P<s>.+)$",
    r"^how long is (?:the )?(?P<s>.+?) (?:video|reading)$",
    r"^(?:does|do|did) (?:the )?(?P<s>.+?) (?:have|has|get|got) (?:a |any )?(?:videos?|video readings?)$",
    r"^(?:the )?(?P<s>.+?)(?<! in)(?<! on)(?<! of)(?<! for)(?<! from) (?:video|walkthrough video|reading video)s?$",
    r"^(?:李沐|沐神|mu li|li mu)?(?:老师)?讲\s*(?P<s>.+?)\s*的?(?:视频|影片)$",
    r"^b站\s*(?P<s>.+?)\s*(?:精读|视频|讲解)?$",
    r"^(?P<s>.+?)\s*(?:的)?(?:精读)?(?:视频|影片)(?:讲解)?\s*(?:链接|多长|在哪(?:里)?|有吗|地址)?$",
    r"^(?P<s>.+?)\s*(?:那篇)?\s*(?:有没有|有)(?:讲解)?(?:视频|影片)(?:可以看)?(?:吗)?$",
)

#: A follow-up about the last paper shown ("and who wrote it?", "它讲了什么"), by facet.
FOLLOW_UPS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (facet, re.compile(r"^(?:and |so |ok |then |what about |那|那么|所以)?\s*(?:" + p + r")$"))
    for facet, p in (
        (
            "authors",
            r"who (?:wrote|made|authored) (?:it|this|that|this one|that one)|(?:the )?authors?|who are the authors|(?:它|这篇|那篇)?(?:的)?(?:作者是谁|是谁写的|谁写的|作者)",
        ),
        (
            "year",
            r"when was (?:it|this|that) (?:published|written|released|out)|when|what year|(?:which )?year|(?:它|这篇|那篇)?(?:是)?(?:哪年|哪一年|什么时候)(?:的|发表的|写的)?",
        ),
        (
            "link",
            r"(?:the )?(?:link|url|arxiv|pdf)|where can i (?:read|find|get) it|(?:它|这篇|那篇)?(?:的)?(?:链接|地址|原文)",
        ),
        (
            "why",
            r"why (?:should i )?read it|is it worth (?:it|reading)|(?:它|这篇|那篇)?(?:为什么要读|值得读吗|为什么值得读)",
        ),
        (
            "video",
            r"(?:is there a )?video(?: for it)?|(?:它|这篇|那篇)?(?:有)?(?:视频|影片)(?:吗)?",
        ),
        (
            "what",
            r"what(?:'s| is) it about|tell me more|more|summary|(?:它|这篇|那篇)?(?:讲了什么|讲的是什么|讲什么|是什么)",
        ),
    )
)


@dataclass(frozen=True)
class Intent:
    """What a pattern read: the kind, the spans that name papers, and a detail (the command,
    the action, the direction, the facet)."""

    kind: str
    spans: tuple[str, ...] = ()
    detail: str | None = None


def read_intents(text: str) -> list[Intent]:
    """Every intent the patterns read in a folded question, most specific first (empty for a
    name, a description, or a list-level question for the existing builders). The caller
    answers with the first one that applies."""
    found: list[Intent] = []
    for detail, pattern in SMALLTALK:
        if pattern.match(text):
            found.append(Intent("smalltalk", detail=detail))
    if not found and (run := smalltalk_run(text)) is not None:
        found.append(Intent("smalltalk", detail=run))
    for name, pattern in COMMANDS:
        if pattern.match(text):
            found.append(Intent("command", detail=name))
    if START.match(text):
        found.append(Intent("start"))
    for facet, pattern in FOLLOW_UPS:
        if pattern.match(text):
            found.append(Intent("follow_up", detail=facet))
    if any(p.match(text) for p in LIST_INFO):
        found.append(Intent("list_info"))
    for pattern in COMPARE:
        if m := pattern.match(text):
            found.append(Intent("compare", (m.group("a"), m.group("b"))))
    for direction, pattern in RELATED:
        if m := pattern.match(text):
            found.append(Intent("related", (m.group("s"),), direction))
    for action, pattern in ACTIONS:
        if m := pattern.match(text):
            found.append(Intent("action", (m.group("s"),), action))
    for pattern in VIDEO:
        if m := pattern.match(text):
            found.append(Intent("video", (m.group("s"),)))
    return found


# -- cues: the last resort, when no pattern above and no paper name fit the whole text ------------

#: Words that say what a question is about wherever they stand, by kind (and detail).
CUES: tuple[tuple[str, str | None, re.Pattern[str]], ...] = tuple(
    (kind, detail, re.compile(p))
    for kind, detail, p in (
        (
            "compare",
            None,
            r"\bvs\.?\b|\bversus\b|\bdiffer\w*|\bcompar\w*|区别|差别|差异|不同|不一样|差在哪|比较|还是|哪个好|谁更好",
        ),
        (
            "video",
            None,
            r"\bvideos?\b|\blectures?\b|\bwalk-?through\b|\byoutube\b|\bbilibili\b|b站|视频|影片|那集|这集",
        ),
        (
            "related",
            "before",
            r"\bbefore\b|\bprereq\w*|\bprerequisites?\b|\bbackground\b|先懂|之前|以前|前置|预备",
        ),
        (
            "related",
            "after",
            r"\bafter\b|\bfollow[- ]?ups?\b|\bnext\b|之后|以后|后续|延伸|改进|接下来",
        ),
        ("related", "both", r"\brelated\b|\bsimilar\b|相关|有关|类似"),
        ("field", "what", r"\btl;?dr\b|\bsummar\w*|\bgist\b|一句话|总结|概括|简介|简单介绍"),
    )
)
#: Words with no part in naming a paper, cut from what a cue leaves before it is matched.
CUE_FILLER = re.compile(
    r"\b(?:is|are|was|there|a|an|the|any|some|for|of|on|about|to|with|me|please|pls|paper|"
    r"papers|one|ones|what|what's|whats|which|how|long|link|links|url|li mu'?s?|mu li'?s?|"
    r"reading|readings|read|i|should|do|does|need|know|can|explain\w*|and|or|between|from)\b"
    r"|有没有|有|吗|呢|吧|的|那篇|这篇|论文|文章|李沐|沐神|讲解|讲|需要|应该|先|懂|什么|哪些|"
    r"哪篇|还有|多长|时间|链接|地址|在哪(?:里)?|推荐|[?？!！,，。:：]"
)
#: Where two papers are split in a comparison found by a cue.
CUE_SPLIT = re.compile(
    r"\s+(?:vs\.?|versus|and|or|with|to)\s+|\s*(?:和|跟|与|同|还是|对比)\s*|\s*[,，/]\s*"
)


def read_cues(text: str) -> list[Intent]:
    """Intents read from cue words anywhere in the text, with the rest as the span."""
    found = []
    for kind, detail, cue in CUES:
        if not cue.search(text):
            continue
        rest = cue.sub(" ", text)
        if kind == "compare":
            sides = [CUE_FILLER.sub(" ", s).strip() for s in CUE_SPLIT.split(rest)]
            sides = [s for s in sides if s]
            if len(sides) == 2:
                found.append(Intent("compare", (sides[0], sides[1])))
            continue
        span = " ".join(CUE_FILLER.sub(" ", rest).split())
        if span:
            found.append(Intent(kind, (span,), detail))
    return found


#: Cue words for replies that need no paper, read only when nothing else answered.
_LIST_WORDS = r"(?:\blists?\b|\breading list\b|\bilya'?s?\b|\bsutskever\b|\bli mu\b|\bmu li\b|清单|书单|列表|李沐|伊利亚|精读系列|这个系列)"
_ASKING = r"(?:\bwhat\b|\bwho\b|\bwhy\b|\bwhere\b|\bhow\b|\btrue\b|\breal(?:ly)?\b|\bbeginners?\b|\bnewbies?\b|适合|是谁|谁|为什么|怎么|真的|来的|什么|初学者|新手)"
INFO_CUES: tuple[tuple[str, str | None, re.Pattern[str]], ...] = tuple(
    (kind, detail, re.compile(p))
    for kind, detail, p in (
        ("command", "settings", r"\breminders?\b|提醒|time ?zone|时区"),
        (
            "command",
            "help",
            r"\bhow (?:do (?:i|you)|to) use\b|\bhow does (?:this|it) work\b|怎么用|说明|使用方法",
        ),
        ("command", "progress", r"\bhow (?:many|much)\b.*\bread\b|读了多少|读了几篇|进度"),
        (
            "start",
            None,
            r"\b(?:where|how|what|which)\b.*\b(?:start|begin|first)\b|从哪|先读|先看|入门|新手|初学",
        ),
        (
            "list_info",
            None,
            rf"^(?=.*{_LIST_WORDS})(?=.*{_ASKING}).*$|^(?:who is|who's) (?:ilya|li mu|mu li|sutskever)|^(?:李沐|伊利亚|ilya)是谁",
        ),
        ("smalltalk", "thanks", r"^.{0,3}(?:感恩|感谢|谢|thank|thx).{0,3}$"),
        ("smalltalk", "hello", r"^.{0,2}(?:hi|hello|hey|你好|哈喽|嗨).{0,2}$"),
    )
)


def read_info_cues(text: str) -> Intent | None:
    """A reply with no paper that cue words ask for (the first that fits), or None."""
    for kind, detail, cue in INFO_CUES:
        if cue.search(text):
            return Intent(kind, detail=detail)
    return None
