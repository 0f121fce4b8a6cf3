"""A booking's stay as an iCalendar event (RFC 5545), in the hotel's time zone."""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from booking.models import Booking


def booking_ics(booking: Booking) -> bytes:
    """Return a one-event calendar: from check-in to check-out time, hotel-local.

    DTSTART and DTEND carry the hotel's zone (TZID, with its VTIMEZONE), so a
    calendar anywhere shows the arrival at the hotel's own clock time.
    """
    hotel = booking.hotel
    tz = hotel.tz
    start = datetime.combine(booking.check_in, hotel.check_in_time, tzinfo=tz)
    end = datetime.combine(booking.check_out, hotel.check_out_time, tzinfo=tz)
    calendar = Calendar()
    calendar.add("prodid", "-//Innkeep//Booking//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booking.reference}@innkeep")
    event.add("dtstamp", booking.created_at or start)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{hotel.name} ({booking.reference})")
    place = ", ".join(part for part in (hotel.address, hotel.city) if part)
    if place:
        event.add("location", place)
    contact = " · ".join(part for part in (hotel.phone, hotel.email) if part)
    link = settings.SITE_URL.rstrip("/") + reverse(
        "booking:detail", args=[booking.reference]
    )
    event.add(
        "description",
        "\n".join(
            part
            for part in (
                f"{booking.room_type.name} × {booking.rooms} · {booking.rate_plan.name}",
                contact,
                link,
            )
            if part
        ),
    )
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
