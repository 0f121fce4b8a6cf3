"""The record of every export and erasure of a guest's data (GDPR).

A record says who acted, on which account (by its id, which outlives the account) and
which bookings, and when; it never stores the guest's name, e-mail or phone, so an
erasure does not keep a copy of what it erased.
"""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyRequest(models.Model):
    class Action(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASURE = "erasure", _("Erasure")
        RETENTION = "retention", _("Retention")

    class Channel(models.TextChoices):
        SITE = "site", _("The guest, on the site")
        ADMIN = "admin", _("Staff, in the admin")
        TASK = "task", _("The retention task or command")

    action = models.CharField(max_length=20, choices=Action.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Staff are named (their username at the time); a guest acting on their own data
    # is "the guest", so that erasing them leaves no name behind.
    actor_name = models.CharField("by", max_length=150, blank=True)
    subject_user_id = models.BigIntegerField(
        "account id", null=True, blank=True, help_text="Empty: no account."
    )
    hotels = models.ManyToManyField("hotels.Hotel", blank=True, related_name="+")
    booking_references = ArrayField(
        models.CharField(max_length=16), default=list, blank=True
    )
    # What was exported, anonymised or deleted: counts per kind of row.
    counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("privacy request")
        permissions = [
            ("export_guest_data", "Can export a guest's data"),
            ("erase_guest_data", "Can erase a guest's data"),
        ]
        triggers = [
            # The audit record of erasures is never deleted, whoever asks.
            pgtrigger.Protect(name="privacy_request_kept", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"


class DormancyNotice(models.Model):
    """The warning sent to a guest whose account has been unused for years.

    The account is deleted GDPR_DORMANT_NOTICE_DAYS after it, unless the guest signs in
    (privacy/dormancy.py); a sign-in after the notice withdraws it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField()

    def __str__(self):
        return f"account {self.user_id}: warned {self.sent_at:%Y-%m-%d}"
