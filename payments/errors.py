"""Refusals of the payments app, with the stable codes of core.errors."""

from core.errors import DomainError


class PaymentUnavailable(DomainError):
    """The gateway cannot be reached now; the rooms stay held until their deadline."""

    retryable = True


class PaymentDeclined(DomainError):
    """The card was declined or failed authentication; another card may work."""


class PaymentRefused(DomainError):
    """The gateway refused the request for a reason another try will not fix."""
