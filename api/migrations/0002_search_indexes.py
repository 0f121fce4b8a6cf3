from django.db import migrations

# Indexes for hotels.selectors.search_hotels. They belong to hotels' tables; they live here
# because this branch may not add migrations to the hotels app. Move them into hotels
# (as Meta.indexes) when that app takes the search over: the names are kept stable.
CREATE = [
    # city__iexact compiles to UPPER("city"::text) = UPPER(%s).
    "CREATE INDEX IF NOT EXISTS hotel_active_city_upper ON hotels_hotel "
    "(upper(city::text)) WHERE status = 'active'",
    # The bounding box around a search point, before the haversine distance.
    "CREATE INDEX IF NOT EXISTS hotel_active_lat_lng ON hotels_hotel "
    "(latitude, longitude) WHERE status = 'active'",
]
DROP = [
    "DROP INDEX IF EXISTS hotel_active_city_upper",
    "DROP INDEX IF EXISTS hotel_active_lat_lng",
]


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial"), ("hotels", "0001_initial")]

    operations = [
        migrations.RunSQL(sql=CREATE, reverse_sql=DROP),
    ]
