"""Login helpers shared by the lock-out settings and the archive."""


def client_ip(request) -> str:
    """The address that connected to us. X-Forwarded-For is ignored on purpose: anyone can send
    it, and a forged one must neither reset a lock-out nor put a false address in the archive.
    Behind a trusted proxy, the proxy sets REMOTE_ADDR (gunicorn --forwarded-allow-ips)."""
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""
