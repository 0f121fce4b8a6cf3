"""Who may do what in the back office: the one table the role tests check, as data.

It says for hotel A's objects what each role may do; docs/admin.md ("Roles, groups and
permissions") says the same in words. `test_role_matrix.py` discovers every registered
ModelAdmin, every admin action and every staff page (from the URL resolver) and fails
on any of them this table does not declare, so a new model, action, page or POST
operation is refused to nobody by accident: declare it here, and in docs/admin.md.

Roles: `owner`, `manager`, `front_desk` and `housekeeping` of hotel A; `other_hotel`
(owner of hotel B only), `partner` (a partner connected to hotel A, with its API key),
`guest` (a site account) and `anonymous`. Only the first four ever appear below: the
others may do nothing with hotel A's objects.
"""

OWNER, MANAGER, FRONT_DESK = "owner", "manager", "front_desk"
HOUSEKEEPING = "housekeeping"
STAFF = (OWNER, MANAGER, FRONT_DESK)
# Housekeeping sees the hotel and its rooms, and works the housekeeping board.
EVERYONE = (*STAFF, HOUSEKEEPING)
MANAGERS = (OWNER, MANAGER)
NOBODY = ()
ROLES = (
    OWNER,
    MANAGER,
    FRONT_DESK,
    HOUSEKEEPING,
    "other_hotel",
    "partner",
    "guest",
    "anonymous",
)


def rights(view=STAFF, add=NOBODY, change=NOBODY, delete=NOBODY) -> dict:
    return {"view": view, "add": add, "change": change, "delete": delete}


SUPERUSERS_ONLY = rights(view=NOBODY)
SET_UP_BY_MANAGERS = rights(add=MANAGERS, change=MANAGERS, delete=MANAGERS)

# Every registered model: the roles that may view, add, change and delete hotel A's.
MODELS = {
    "account.EmailAddress": SUPERUSERS_ONLY,
    "accounts.Partner": SUPERUSERS_ONLY,
    "accounts.PartnerAPIKey": SUPERUSERS_ONLY,
    "accounts.User": SUPERUSERS_ONLY,
    "api.WebhookDelivery": SUPERUSERS_ONLY,
    "api.WebhookEndpoint": SUPERUSERS_ONLY,
    "auth.Group": SUPERUSERS_ONLY,
    "axes.AccessAttempt": SUPERUSERS_ONLY,
    "axes.AccessFailureLog": SUPERUSERS_ONLY,
    "axes.AccessLog": SUPERUSERS_ONLY,
    "django_celery_beat.ClockedSchedule": SUPERUSERS_ONLY,
    "django_celery_beat.CrontabSchedule": SUPERUSERS_ONLY,
    "django_celery_beat.IntervalSchedule": SUPERUSERS_ONLY,
    "django_celery_beat.PeriodicTask": SUPERUSERS_ONLY,
    "django_celery_beat.SolarSchedule": SUPERUSERS_ONLY,
    "otp_totp.TOTPDevice": SUPERUSERS_ONLY,
    # Reference data: picked on forms by staff, edited by the platform.
    "hotels.Amenity": SUPERUSERS_ONLY,
    # Places and their other names (台北 = Taipei): the platform's search data.
    "search.Place": SUPERUSERS_ONLY,
    # Raw gateway payloads: the platform's operators only.
    "payments.GatewayEvent": SUPERUSERS_ONLY,
    "hotels.Hotel": rights(view=EVERYONE, change=MANAGERS),
    "hotels.RoomType": SET_UP_BY_MANAGERS,
    # Housekeeping status is the front desk's too (through room_update).
    "hotels.Room": rights(view=EVERYONE, add=MANAGERS, change=STAFF, delete=MANAGERS),
    "hotels.CancellationPolicy": SET_UP_BY_MANAGERS,
    "inventory.RatePlan": SET_UP_BY_MANAGERS,
    # Nights are edited on the rates calendar, never one by one.
    "inventory.Inventory": rights(),
    # Every change goes through a booking service; the front desk runs them.
    "booking.Booking": rights(change=STAFF),
    # The front desk sees at most what the booking's pages show, never the records.
    "payments.Payment": rights(view=MANAGERS),
    "payments.Refund": rights(view=MANAGERS),
    "privacy.PrivacyRequest": rights(view=MANAGERS),
    "reviews.Review": rights(change=MANAGERS),
    # The consistency check's list of what connected channels believe otherwise.
    "inventory.ChannelDrift": rights(),
}

# The actions of every model staff work with (any other model's actions are for
# superusers only). `export_csv` follows the model's view right, `delete_selected` its
# delete right; every other action is declared in its ModelAdmin's hotel_roles.
EXPORT = {"export_csv": STAFF}
ACTIONS = {
    # Superusers only delete hotels (staff deactivate them: Closures).
    "hotels.Hotel": {"export_csv": EVERYONE, "delete_selected": NOBODY},
    "hotels.RoomType": EXPORT,
    "hotels.Room": {"export_csv": EVERYONE},
    "inventory.ChannelDrift": EXPORT,
    "hotels.CancellationPolicy": {**EXPORT, "delete_selected": MANAGERS},
    "inventory.RatePlan": {**EXPORT, "delete_selected": MANAGERS},
    "inventory.Inventory": EXPORT,
    "booking.Booking": {
        **EXPORT,
        # One guest at a time on the front desk page; in bulk, owners and managers.
        "confirm": MANAGERS,
        "confirm_without_payment": MANAGERS,
        "cancel": MANAGERS,
        "no_show": MANAGERS,
        "check_in": STAFF,
        "check_out": STAFF,
    },
    "payments.Payment": {
        "export_csv": MANAGERS,
        "refund_payment": NOBODY,
        "charge_no_show_fee": NOBODY,
        "refresh": NOBODY,
    },
    "payments.Refund": {"export_csv": MANAGERS, "retry_refunds": NOBODY},
    "privacy.PrivacyRequest": {"export_csv": MANAGERS},
    "reviews.Review": EXPORT,
}

# Every admin URL that is not a model's standard page (list, add, change, delete,
# history): who may open it (GET) and run each of its POST operations (by the
# `action` posted; "" for a page's one form).
FRONT_DESK_WORK = ("check_in", "check_out", "no_show", "cancel", "move")
CLOSURES = ("close", "deactivate", "reactivate", "lift", "cancel")
PAGES = {
    "hotels_hotel_calendar": {"GET": STAFF, "POST": {"": MANAGERS}},
    "hotels_hotel_rates": {"GET": STAFF, "POST": {"": MANAGERS}},
    "hotels_hotel_frontdesk": {
        "GET": STAFF,
        "POST": {action: STAFF for action in FRONT_DESK_WORK},
    },
    "hotels_hotel_tapechart": {"GET": STAFF, "POST": {"": STAFF}},
    "hotels_hotel_housekeeping": {"GET": EVERYONE, "POST": {"": EVERYONE}},
    "hotels_hotel_reviews": {"GET": STAFF, "POST": {"": MANAGERS}},
    "hotels_hotel_dashboard": {"GET": MANAGERS, "POST": {}},
    "hotels_hotel_audit": {"GET": MANAGERS, "POST": {}},
    "hotels_hotel_lifecycle": {
        "GET": MANAGERS,
        "POST": {action: MANAGERS for action in CLOSURES},
    },
    # An owner issues a member's code (not a manager's job, nor the front desk's).
    "hotels_hotel_enrolment_code": {"GET": (OWNER,), "POST": {"": (OWNER,)}},
    "privacy_guest_data": {"GET": MANAGERS, "POST": {"": MANAGERS}},
    # The platform's: a user's password, an authenticator's secret.
    "auth_user_password_change": {"GET": NOBODY, "POST": {"": NOBODY}},
    "otp_totp_totpdevice_config": {"GET": NOBODY, "POST": {}},
    "otp_totp_totpdevice_qrcode": {"GET": NOBODY, "POST": {}},
}

# The admin site's own URLs, for every signed-in staff member or nobody in particular:
# not pages of the back office.
SITE_URLS = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
    "two_factor",
    # A staff member saves their own back-office language (any signed-in staff).
    "language",
}
