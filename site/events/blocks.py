"""An event's body: the news's text, quote and image blocks, so that editors write
both the same way; no embeds (a third-party player tells its host who reads)."""

from news.blocks import ArticleBodyBlock


class EventBodyBlock(ArticleBodyBlock):
    pass
