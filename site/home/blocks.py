from wagtail import blocks


class CallToActionBlock(blocks.StructBlock):
    """A short appeal with one link, for the home page's sections."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    link_page = blocks.PageChooserBlock(required=False)
    link_text = blocks.CharBlock(max_length=60, required=False)

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"


class HomeBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    call_to_action = CallToActionBlock()
