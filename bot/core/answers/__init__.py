"""Turn a question into a structured :class:`Answer` (pure: no Telegram, no I/O).

Question kinds, tried in this order (patterns in both languages, on the folded text):

* list-level (:mod:`~bot.core.answers.lists`): how many papers (``count``), the N-th paper
  (``position``), papers from a year (``year``), papers by an author (``author``), papers
  about a topic (``topic``) or in a category of Li Mu's list (``category``);
* about one paper (:mod:`~bot.core.answers.paper`), with a *facet*: ``authors``, ``year``,
  ``link``, ``why``, or ``what`` (the card). The paper itself is found by
  :class:`bot.core.matching.Matcher`.

A question that is only a topic or category name ("对比学习", "self-supervised") lists that
topic, unless it is exactly a paper's (or decoy's) name too ("Transformer"). List-level
questions use the asker's current list unless the question names one ("on Li Mu's list",
"李沐的清单", "paper-reading"). Rendering to text is the adapters' job.

The package: :mod:`~bot.core.answers.model` (what is returned),
:mod:`~bot.core.answers.patterns` (the regular expressions), :mod:`~bot.core.answers.authors`
and :mod:`~bot.core.answers.topics` (names people type), the builders per kind
(:mod:`~bot.core.answers.lists`, :mod:`~bot.core.answers.paper`) and the routing
(:mod:`~bot.core.answers.answerer`).
"""

from bot.core.answers.answerer import Answerer, question_lang
from bot.core.answers.model import Answer, Facet, Listing, ListingKind, ParsedQuestion, Status

__all__ = [
    "Answer",
    "Answerer",
    "Facet",
    "Listing",
    "ListingKind",
    "ParsedQuestion",
    "Status",
    "question_lang",
]
