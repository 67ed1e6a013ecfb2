"""Request and response handling not covered by Django's own middleware."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


def for_stor(request):
    """413 with a short Swedish page; built without the request's session or user (the
    middleware that would load them has not run)."""
    response = HttpResponse(
        render_to_string("413.html", {"mb": settings.BILAGA_MAX_MB}),
        status=413,
        content_type="text/html; charset=utf-8",
    )
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


class RequestSizeLimitMiddleware:
    """First in MIDDLEWARE: a body larger than REQUEST_MAX_BYTES is refused with 413
    before anything reads it (Django reads no more than Content-Length, and nothing of a
    body without one); the honeypot, the rate limits, CSRF and the views never see it.

    Within that limit, a multipart body is parsed here, first (CsrfViewMiddleware would
    parse it next anyway): a file larger than an attachment may be stops the parse
    (kvalitet.uploads.SizeLimitUploadHandler) and the request gets the same 413."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            langd = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            langd = 0
        if langd > settings.REQUEST_MAX_BYTES:
            return for_stor(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.FILES  # noqa: B018 - parse now, before CSRF and the view
            if getattr(request, "upload_too_large", False):
                return for_stor(request)
        return None


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline scripts), and no caching of pages
    that show confidential records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response
