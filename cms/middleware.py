from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.utils.cache import patch_cache_control

# Wagtail's admin relies on inline styles and scripts; the public site does not.
ADMIN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}


class SiteContentSecurityPolicyMiddleware(ContentSecurityPolicyMiddleware):
    """The strict SECURE_CSP everywhere, and ADMIN_CSP for the Wagtail admin."""

    def process_response(self, request, response):
        if request.path.startswith("/admin/") and not hasattr(response, "_csp_config"):
            response._csp_config = ADMIN_CSP
        return super().process_response(request, response)


class NoSharedCacheMiddleware:
    """Public pages may quote patients whose consent can end at any second: keep shared
    caches (CDN, proxies) from storing any HTML page, and make browsers revalidate.
    Responses that set their own Cache-Control (static files, feeds) keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            patch_cache_control(response, private=True, no_cache=True, max_age=0)
        return response
