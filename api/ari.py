"""Partner API for channel managers: push and read availability, rates, restrictions."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import idempotent
from api.permissions import AriScope
from api.schema import IDEMPOTENCY_KEY, NOT_FOUND_ERROR, READ_ERRORS, WRITE_ERRORS
from api.scoping import connected_hotels
from hotels.models import RoomType
from inventory.channels import channel_snapshot
from inventory.models import Inventory
from inventory.services import inventory_apply

from .ari_serializers import (
    AriPushSerializer,
    AriResultSerializer,
    InventoryQuerySerializer,
    InventoryRowSerializer,
    SnapshotQuerySerializer,
    SnapshotSerializer,
)

PUSH_EXAMPLE = {
    "changes": [
        {
            "room_type": 31,
            "start": "2027-01-01",
            "end": "2028-01-01",
            "rooms": 10,
            "price": 12000,
        },
        {
            "room_type": 31,
            "start": "2027-01-01",
            "end": "2028-01-01",
            "weekdays": [5, 6],
            "price": 15000,
            "min_stay": 2,
        },
        {
            "room_type": 32,
            "start": "2027-08-01",
            "end": "2027-08-15",
            "stop_sell": True,
            "closed_to_arrival": True,
        },
    ]
}


class AriPushView(APIView):
    permission_classes = [AriScope]

    @extend_schema(
        summary="Push availability, rates and restrictions",
        description=(
            "Sets rooms to sell, prices and restrictions (stop-sell, min/max stay, "
            "closed to arrival/departure) over date ranges and weekdays for any room "
            "types of a connected hotel, up to a year per change, all or none. Rooms "
            "to sell never go below what is booked: such a push is refused whole with "
            "409 below_booked, listing each night (`nights`)."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=AriPushSerializer,
        responses={200: AriResultSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "A year, two room types", value=PUSH_EXAMPLE, request_only=True
            ),
            OpenApiExample(
                "Written", value={"nights_written": 485}, response_only=True
            ),
        ],
    )
    @idempotent
    def post(self, request, pk: int):
        hotel = get_object_or_404(connected_hotels(request.auth.partner), pk=pk)
        params = AriPushSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        written = inventory_apply(
            changes=params.to_changes(),
            room_types=RoomType.objects.filter(hotel=hotel),
            channel_partner_id=request.auth.partner.pk,
        )
        return Response({"nights_written": written})


class InventoryReadView(APIView):
    permission_classes = [AriScope]

    @extend_schema(
        summary="Read availability, rates and restrictions back",
        parameters=[InventoryQuerySerializer],
        responses={
            200: InventoryRowSerializer(many=True),
            **NOT_FOUND_ERROR,
            **READ_ERRORS,
        },
        examples=[
            OpenApiExample(
                "One night",
                value=[
                    {
                        "room_type": 31,
                        "date": "2027-01-01",
                        "rooms": 10,
                        "booked": 3,
                        "price": 12000,
                        "stop_sell": False,
                        "min_stay": 1,
                        "max_stay": None,
                        "closed_to_arrival": False,
                        "closed_to_departure": False,
                    }
                ],
                response_only=True,
            )
        ],
    )
    def get(self, request, pk: int):
        hotel = get_object_or_404(connected_hotels(request.auth.partner), pk=pk)
        params = InventoryQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        rows = Inventory.objects.filter(
            room_type__hotel=hotel, date__gte=data["start"], date__lt=data["end"]
        ).order_by("room_type_id", "date")
        if "room_type" in data:
            rows = rows.filter(room_type_id=data["room_type"])
        return Response(InventoryRowSerializer(rows, many=True).data)


class AriSnapshotView(APIView):
    permission_classes = [AriScope]

    @extend_schema(
        summary="Pull a full ARI snapshot",
        description=(
            "Every night of every room type of a connected hotel, from the hotel's "
            "today for `days` nights (default 365): rooms, booked, available, price and "
            "restrictions as they are now, read in one transaction. Innkeep records "
            "the snapshot as what this channel knows: the drift check compares it, "
            "and later pushes, with the inventory and lists every disagreement to the "
            "hotel (the admin, the `innkeep_channel_drift_nights` metric). Pull one "
            "after a reconnection or whenever your side may have missed changes."
        ),
        parameters=[SnapshotQuerySerializer],
        responses={200: SnapshotSerializer, **NOT_FOUND_ERROR, **READ_ERRORS},
    )
    def get(self, request, pk: int):
        hotel = get_object_or_404(connected_hotels(request.auth.partner), pk=pk)
        params = SnapshotQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        as_of, start, end, rows = channel_snapshot(
            partner_id=request.auth.partner.pk,
            hotel=hotel,
            days=params.validated_data["days"],
        )
        names = dict(RoomType.objects.filter(hotel=hotel).values_list("pk", "name"))
        nights: dict[int, list] = {pk: [] for pk in sorted(names)}
        for row in rows:
            off_sale = row.stop_sell or row.closed
            nights.setdefault(row.room_type_id, []).append(
                {
                    "date": row.date.isoformat(),
                    "rooms": row.rooms,
                    "booked": row.booked,
                    "available": 0 if off_sale else max(row.free, 0),
                    "price": row.price,
                    "stop_sell": off_sale,
                    "closed": row.closed,
                    "min_stay": row.min_stay,
                    "max_stay": row.max_stay,
                    "closed_to_arrival": row.closed_to_arrival,
                    "closed_to_departure": row.closed_to_departure,
                }
            )
        return Response(
            {
                "hotel": hotel.pk,
                "currency": hotel.currency,
                "as_of": as_of.isoformat(),
                "start": start.isoformat(),
                "end": end.isoformat(),
                "room_types": [
                    {"id": pk, "name": names.get(pk, ""), "nights": nights[pk]}
                    for pk in nights
                ],
            }
        )
