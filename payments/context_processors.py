from .gateways import get_gateway


def payments_mode(request) -> dict:
    """Tell every page whether payments run on test cards (the site says TEST MODE)."""
    return {"payments_test_mode": get_gateway().test_mode}
