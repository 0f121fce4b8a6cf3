"""Refunds and disputes: money a guest gets, or claims, back from a charge."""

from .errors import SimError, invalid
from .objects import Objects, new_id
from .params import to_int


class Refunds(Objects):
    """Refund a succeeded PaymentIntent's charge, or open a dispute on it."""

    def create_refund(self, params):
        intent = self.load(params.get("payment_intent", ""), "pi_")
        if intent["status"] != "succeeded":
            raise SimError(
                400, invalid("This PaymentIntent has no successful charge to refund.")
            )
        charge = self.load(intent["latest_charge"])
        remaining = charge["amount"] - charge["amount_refunded"]
        amount = to_int(params.get("amount", remaining), "amount")
        if remaining <= 0:
            raise SimError(
                400,
                invalid(
                    f"Charge {charge['id']} has already been refunded.",
                    code="charge_already_refunded",
                ),
            )
        if not 0 < amount <= remaining:
            raise SimError(
                400,
                invalid(
                    f"Refund amount ({amount}) is greater than unrefunded amount on "
                    f"charge ({remaining})",
                    param="amount",
                ),
            )
        refund = {
            "id": new_id("re"),
            "object": "refund",
            "amount": amount,
            "currency": charge["currency"],
            "charge": charge["id"],
            "payment_intent": intent["id"],
            "status": "succeeded",
            "reason": params.get("reason"),
            "metadata": params.get("metadata", {}),
            "created": int(self.clock()),
        }
        self.store.put(refund)
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        charge["refunds"]["data"].insert(0, refund)
        self.store.put(charge)
        self.emit("refund.created", refund)
        self.emit("charge.refunded", charge)
        return refund

    def dispute(self, params, id):
        intent = self.load(id, "pi_")
        charge = self.load(intent["latest_charge"])
        dispute = {
            "id": new_id("dp"),
            "object": "dispute",
            "amount": charge["amount"] - charge["amount_refunded"],
            "currency": charge["currency"],
            "charge": charge["id"],
            "payment_intent": intent["id"],
            "reason": params.get("reason", "fraudulent"),
            "status": "needs_response",
            "created": int(self.clock()),
        }
        self.store.put(dispute)
        charge["disputed"] = True
        self.store.put(charge)
        self.emit("charge.dispute.created", dispute)
        return dispute
