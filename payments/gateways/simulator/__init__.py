"""A small simulator of Stripe's API for its test cards.

Enough of customers, PaymentIntents, SetupIntents, refunds, disputes and events to run
Innkeep's payment flows with no network: a card that succeeds, one that is declined, one
that needs authentication (with an authentication step), and the events Stripe would send.
The test gateway runs it in-process behind the real `stripe` client (state in
PostgreSQL); the test suite serves it over HTTP (state in memory) as a fake Stripe.

It keeps no card numbers: a card is chosen by Stripe's test PaymentMethod tokens
(`pm_card_visa` ...), which the test-mode payment form maps the test card numbers to.

Its parts: `api` (the `Simulator`, its routes), `intents` (PaymentIntents, SetupIntents),
`refunds` (refunds, disputes), `cards` (the test cards, PaymentMethods), `objects` (ids,
loading, events, customers), `store` (where state is kept), `params` (form decoding) and
`errors`. Import from this package, not from those modules.
"""

from .api import Simulator
from .cards import TEST_CARDS
from .errors import SimError
from .objects import API_VERSION
from .params import decode_form
from .store import MemoryStore, Store

__all__ = [
    "API_VERSION",
    "TEST_CARDS",
    "MemoryStore",
    "SimError",
    "Simulator",
    "Store",
    "decode_form",
]
