"""Partner API input and output for availability, rates and restrictions (ARI)."""

from rest_framework import serializers

from inventory.channels import SNAPSHOT_DAYS, SNAPSHOT_MAX_DAYS
from inventory.services import MAX_CHANGE_NIGHTS, InventoryChange

MAX_CHANGES = 1000


class InventoryChangeSerializer(serializers.Serializer):
    room_type = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    start = serializers.DateField(help_text="First night.")
    end = serializers.DateField(help_text="Night after the last (exclusive).")
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=7),
        required=False,
        allow_null=True,
        min_length=1,
        max_length=7,
        help_text="ISO weekdays (1 = Monday … 7 = Sunday); omit for every day.",
    )
    rooms = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=32_767
    )
    price = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=2_147_483_647,
        help_text="Nightly room-type price, minor units.",
    )
    stop_sell = serializers.BooleanField(required=False, allow_null=True)
    min_stay = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=365
    )
    max_stay = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=365,
        help_text="0 removes the maximum stay.",
    )
    closed_to_arrival = serializers.BooleanField(required=False, allow_null=True)
    closed_to_departure = serializers.BooleanField(required=False, allow_null=True)

    def to_change(self, data: dict) -> InventoryChange:
        weekdays = data.get("weekdays")
        return InventoryChange(
            room_type_id=data["room_type"],
            start=data["start"],
            end=data["end"],
            weekdays=frozenset(weekdays) if weekdays else None,
            **{
                name: data.get(name)
                for name in (
                    "rooms",
                    "price",
                    "stop_sell",
                    "min_stay",
                    "max_stay",
                    "closed_to_arrival",
                    "closed_to_departure",
                )
            },
        )


class AriPushSerializer(serializers.Serializer):
    changes = InventoryChangeSerializer(
        many=True,
        min_length=1,
        max_length=MAX_CHANGES,
        help_text=f"Applied all or none; each covers at most {MAX_CHANGE_NIGHTS} nights.",
    )

    def to_changes(self) -> list[InventoryChange]:
        child = InventoryChangeSerializer()
        return [child.to_change(item) for item in self.validated_data["changes"]]


class AriResultSerializer(serializers.Serializer):
    nights_written = serializers.IntegerField()


class InventoryQuerySerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    room_type = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1
    )

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": "end must be after start."})
        if (attrs["end"] - attrs["start"]).days > MAX_CHANGE_NIGHTS:
            raise serializers.ValidationError(
                {"end": f"Read at most {MAX_CHANGE_NIGHTS} nights at a time."}
            )
        return attrs


class InventoryRowSerializer(serializers.Serializer):
    room_type = serializers.IntegerField(source="room_type_id")
    date = serializers.DateField()
    rooms = serializers.IntegerField()
    booked = serializers.IntegerField()
    price = serializers.IntegerField()
    stop_sell = serializers.BooleanField()
    min_stay = serializers.IntegerField()
    max_stay = serializers.IntegerField(allow_null=True)
    closed_to_arrival = serializers.BooleanField()
    closed_to_departure = serializers.BooleanField()


class SnapshotQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=SNAPSHOT_MAX_DAYS,
        default=SNAPSHOT_DAYS,
        help_text=f"Nights from the hotel's today (default {SNAPSHOT_DAYS}).",
    )


class SnapshotNightSerializer(serializers.Serializer):
    date = serializers.DateField()
    rooms = serializers.IntegerField()
    booked = serializers.IntegerField()
    available = serializers.IntegerField(
        help_text="Rooms still for sale: rooms + overbooking - booked, 0 when off sale."
    )
    price = serializers.IntegerField(help_text="Nightly price in minor units.")
    stop_sell = serializers.BooleanField(
        help_text="Off sale: the hotel's stop-sell or a closure (see `closed`)."
    )
    closed = serializers.BooleanField(help_text="Off sale by a hotel closure.")
    min_stay = serializers.IntegerField()
    max_stay = serializers.IntegerField(allow_null=True)
    closed_to_arrival = serializers.BooleanField()
    closed_to_departure = serializers.BooleanField()


class SnapshotRoomTypeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    nights = SnapshotNightSerializer(many=True)


class SnapshotSerializer(serializers.Serializer):
    hotel = serializers.IntegerField()
    currency = serializers.CharField()
    as_of = serializers.DateTimeField(
        help_text="The database time the snapshot was read."
    )
    start = serializers.DateField(help_text="The hotel's today: the first night.")
    end = serializers.DateField(help_text="The night after the last (exclusive).")
    room_types = SnapshotRoomTypeSerializer(many=True)
