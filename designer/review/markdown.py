"""Comment bodies: Markdown rendered safely (raw HTML is shown as text, unsafe links are dropped), with
@mentions of the design's members marked."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline

MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.+-]{1,150})")


def mentioned(text: str) -> list[str]:
    """The usernames ``@named`` in ``text``, in order, each once."""
    return list(dict.fromkeys(match[1] for match in MENTION.finditer(text)))


def _mention_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "@" or (state.pos > 0 and re.match(r"[\w@]", state.src[state.pos - 1])):
        return False
    match = MENTION.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("mention", "", 0)
        token.content = match[1]
    state.pos = match.end()
    return True


def _render_mention(self, tokens, index, options, env) -> str:
    name = escapeHtml(tokens[index].content)
    return f'<span class="mention">@{name}</span>'


@cache
def _parser() -> MarkdownIt:
    # "js-default" is CommonMark with raw HTML off; links are checked against javascript:, vbscript:, file:
    parser = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    parser.inline.ruler.before("emphasis", "mention", _mention_rule)
    parser.add_render_rule("mention", _render_mention)
    return parser


def render_markdown(text: str) -> str:
    return _parser().render(text)
