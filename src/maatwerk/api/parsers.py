from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """The standard parser, but deeply nested input (`[[[[…`) is a 400, not a RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON nested too deeply.")) from None
        except ParseError:
            # DRF's own message is English and quotes the parser's internals.
            raise ParseError(_("The body is not valid JSON.")) from None
