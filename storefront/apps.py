from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "storefront"

    def ready(self):
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        from . import account_links

        # A booking made signed out with an address joins the account that verifies it,
        # and, at each sign-in, those made since with any verified address of the account.
        email_confirmed.connect(
            account_links.on_email_confirmed, dispatch_uid="booking-email-confirmed"
        )
        user_logged_in.connect(
            account_links.on_login, dispatch_uid="booking-user-logged-in"
        )
