"""The development inbox at /dev/inbox/: e-mails the site and the worker sent.

Only with DEV_INBOX on (`make run`); a 404 otherwise, so production never serves it.
"""

from datetime import UTC

from csp.constants import NONE, SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin

from core.dev_inbox import inbox_message, inbox_messages


def _require_inbox():
    if not settings.DEV_INBOX:
        raise Http404("No inbox outside development.")


@csp_replace({"frame-src": [SELF]})
def inbox(request):
    """List the sent e-mails, newest first, the chosen one (?id=) open."""
    _require_inbox()
    messages = inbox_messages()
    chosen = request.GET.get("id")
    current = next((m for m in messages if m.id == chosen), None)
    if current is None and chosen:
        current = inbox_message(chosen)
    if current is None and messages:
        current = messages[0]
    context = {"inbox": messages, "current": current, "utc": UTC}
    return render(request, "dev/inbox.html", context)


@xframe_options_sameorigin
@csp_replace(
    {
        # The e-mail's own HTML, as a mail client shows it: its inline styles and
        # images, no scripts, in a sandbox, framed only by the inbox page.
        "default-src": [NONE],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["*", "data:"],
        "script-src": [NONE],
        "frame-ancestors": [SELF],
        "sandbox": ["allow-top-navigation-by-user-activation", "allow-popups"],
    }
)
def inbox_html(request, message_id):
    """Serve the HTML body of one message, for the inbox's frame."""
    _require_inbox()
    message = inbox_message(message_id)
    if message is None or not message.html:
        raise Http404("No such message.")
    return HttpResponse(message.html, content_type="text/html; charset=utf-8")
