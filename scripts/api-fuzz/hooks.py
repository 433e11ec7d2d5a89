"""Schemathesis hooks for `make api-fuzz`.

Conductor answers ids as text/plain (a started workflow's id, for one). This
reads such a body as a string, so that OpenAPI links can pass
`$response.body` on to the next operation.
"""

import schemathesis


@schemathesis.deserializer("text/plain")
def text_plain(ctx, response):
    return response.content.decode("utf-8")
