from payments.gateways import GatewayError, get_gateway


def payments_mode(request) -> dict:
    """Tell every page whether payments run on test cards (the site says TEST MODE)."""
    try:
        return {"payments_test_mode": get_gateway().test_mode}
    except GatewayError:  # no payments configured: nothing to announce
        return {"payments_test_mode": False}
