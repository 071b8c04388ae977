"""Ids beyond 64 bits in a page's URL are 404s, not 500s.

`<int:pk>` accepts any number of digits; SQLite cannot even compare a number beyond 64 bits and
raises OverflowError where a query uses it. No such object exists, so the answer is 404. (The
API has the same rule in api.exceptions.)
"""

from django.http import Http404


class OverflowAsNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            raise Http404 from None
        return None
