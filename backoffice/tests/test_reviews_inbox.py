import pytest
from django.urls import reverse

from booking.services import booking_confirm
from hotels.tests.factories import HotelFactory, staff
from reviews.models import Review
from reviews.services import MAX_REPLY
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def inbox_url(hotel, query=""):
    return reverse("admin:hotels_hotel_reviews", args=[hotel.pk]) + query


@pytest.fixture
def reviews(hold):
    """Five reviews: two awaiting a reply (one low), one replied, one hidden, one low
    and replied; made in this order, newest last."""

    def review(offset, **fields):
        booking = booking_confirm(booking_id=hold(offset=offset, nights=1).pk)
        return ReviewFactory(booking=booking, **fields)

    return {
        "old_awaiting": review(1, overall=9, text="Great breakfast", cleanliness=9),
        "replied": review(2, overall=8, reply="Thank you!", text="Nice"),
        "hidden": review(
            3, overall=2, status=Review.Status.HIDDEN, moderation_reason="Abusive"
        ),
        "low_replied": review(4, overall=4, reply="Sorry about the noise."),
        "new_low": review(5, overall=3, text="Noisy room", service=2),
    }


def test_inbox_lists_awaiting_replies_first_then_replied_then_hidden(
    owner_client, hotel, reviews
):
    response = owner_client.get(inbox_url(hotel))

    assert response.status_code == 200
    order = [review.pk for review in response.context["reviews"]]
    assert order == [
        reviews["new_low"].pk,
        reviews["old_awaiting"].pk,
        reviews["low_replied"].pk,
        reviews["replied"].pk,
        reviews["hidden"].pk,
    ]
    assert response.context["counts"] == {
        "total": 5,
        "awaiting": 2,
        "low": 3,
        "replied": 2,
        "hidden": 1,
    }
    html = response.content.decode()
    assert "Noisy room" in html and "Great breakfast" in html
    assert "Abusive" in html  # why it is hidden
    assert f'for="reply-{reviews["new_low"].pk}"' in html
    first = response.context["reviews"][0]
    assert ("Service", 2) in first.category_ratings


def test_filters_unanswered_and_low_ratings(owner_client, hotel, reviews):
    unanswered = owner_client.get(inbox_url(hotel, "?unanswered=1"))
    low = owner_client.get(inbox_url(hotel, "?low=1"))
    both = owner_client.get(inbox_url(hotel, "?unanswered=1&low=1"))

    def pks(response):
        return [review.pk for review in response.context["reviews"]]

    assert pks(unanswered) == [reviews["new_low"].pk, reviews["old_awaiting"].pk]
    assert pks(low) == [
        reviews["new_low"].pk,
        reviews["low_replied"].pk,
        reviews["hidden"].pk,
    ]
    assert pks(both) == [reviews["new_low"].pk]


def test_a_manager_replies_inline_and_the_review_leaves_the_awaiting_list(
    client, hotel, reviews
):
    client.force_login(staff("boss", hotel, role="manager"))
    review = reviews["new_low"]

    response = client.post(
        inbox_url(hotel),
        {
            "review": review.pk,
            "reply": "  We moved the ice machine.  ",
            "unanswered": "1",
        },
        follow=True,
    )

    review.refresh_from_db()
    assert review.reply == "We moved the ice machine."
    assert review.replied_at is not None
    assert response.redirect_chain[-1][0].endswith(f"?unanswered=1#review-{review.pk}")
    assert "Your reply to Ada is published." in [
        str(m) for m in response.context["messages"]
    ]
    assert [r.pk for r in response.context["reviews"]] == [reviews["old_awaiting"].pk]
    assert response.context["counts"]["awaiting"] == 1


def test_a_reply_too_long_is_a_form_error_keeps_the_text_and_changes_nothing(
    owner_client, hotel, reviews
):
    review = reviews["old_awaiting"]
    text = "x" * (MAX_REPLY + 1)

    response = owner_client.post(inbox_url(hotel), {"review": review.pk, "reply": text})

    assert response.status_code == 400
    review.refresh_from_db()
    assert (review.reply, review.replied_at) == ("", None)
    html = response.content.decode()
    assert f"A reply has at most {MAX_REPLY} characters; this one has" in html
    assert 'aria-invalid="true"' in html and text in html


def test_a_review_of_another_hotel_or_no_review_is_refused(
    owner_client, hotel, reviews, hold
):
    booking = booking_confirm(booking_id=hold(offset=20, nights=1).pk)
    other = ReviewFactory(booking=booking, hotel=HotelFactory(), overall=7)

    for value in (other.pk, "nope", ""):
        response = owner_client.post(
            inbox_url(hotel), {"review": value, "reply": "Hi"}, follow=True
        )
        assert "No such review at this hotel." in [
            str(m) for m in response.context["messages"]
        ]
    assert Review.objects.get(pk=other.pk).reply == ""


def test_front_desk_reads_the_inbox_but_cannot_reply(client, hotel, reviews):
    client.force_login(staff("desk", hotel, role="front_desk"))

    page = client.get(inbox_url(hotel))
    assert page.status_code == 200
    assert "Publish the reply" not in page.content.decode()
    response = client.post(
        inbox_url(hotel), {"review": reviews["new_low"].pk, "reply": "Hello"}
    )

    assert response.status_code == 403
    assert Review.objects.get(pk=reviews["new_low"].pk).reply == ""


def test_staff_of_another_hotel_do_not_find_the_inbox(client, hotel, reviews):
    client.force_login(staff("stranger", HotelFactory(), role="owner"))

    assert client.get(inbox_url(hotel)).status_code == 404


def test_the_inbox_pages_twenty_reviews_at_a_time(owner_client, hotel, hold):
    for offset in range(22):
        booking = booking_confirm(booking_id=hold(offset=offset, nights=1).pk)
        ReviewFactory(booking=booking, overall=8)

    first = owner_client.get(inbox_url(hotel))
    second = owner_client.get(inbox_url(hotel, "?page=2"))

    assert len(first.context["reviews"]) == 20
    assert len(second.context["reviews"]) == 2
    assert "Page 1 of 2" in first.content.decode()


def test_the_inbox_speaks_the_readers_language(owner_client, hotel, reviews):
    response = owner_client.get(inbox_url(hotel), headers={"accept-language": "ko"})

    html = response.content.decode()
    assert "답글 대기 중" in html and "답글 게시" in html
