from django.middleware.csp import ContentSecurityPolicyMiddleware

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
