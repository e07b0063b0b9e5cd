"""An article's body: text, quotes and images only. No embeds: a third-party player
would tell its host who reads the page."""

from wagtail import blocks

from campaigns.blocks import CaptionedImageBlock, QuoteBlock


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    quote = QuoteBlock()
    image = CaptionedImageBlock()
