"""Search requests for any app's tests."""

from datetime import timedelta


def search_params(check_in, nights=2, **extra) -> dict:
    params = {
        "check_in": check_in.isoformat(),
        "check_out": (check_in + timedelta(days=nights)).isoformat(),
        "adults": 2,
        "children": 0,
        "rooms": 1,
    }
    params.update(extra)
    return params
