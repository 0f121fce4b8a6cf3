from django.db import migrations

# The expressions must be exactly those of hotels/search.py for the planner to use them.
DOCUMENT = (
    "to_tsvector('simple'::regconfig, "
    "name || ' ' || city || ' ' || country || ' ' || address)"
)


class Migration(migrations.Migration):
    """Indexes for the site's hotel search: full text, trigram (typos) and a lat/lng box."""

    dependencies = [
        ("core", "0001_extensions"),
        ("hotels", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX hotel_search_document ON hotels_hotel USING gin (({DOCUMENT}))",
            "DROP INDEX hotel_search_document",
        ),
        migrations.RunSQL(
            "CREATE INDEX hotel_search_city_trgm ON hotels_hotel "
            "USING gin (lower(city) gin_trgm_ops)",
            "DROP INDEX hotel_search_city_trgm",
        ),
        migrations.RunSQL(
            "CREATE INDEX hotel_search_name_trgm ON hotels_hotel "
            "USING gin (lower(name) gin_trgm_ops)",
            "DROP INDEX hotel_search_name_trgm",
        ),
        migrations.RunSQL(
            "CREATE INDEX hotel_search_position ON hotels_hotel (latitude, longitude) "
            "WHERE status = 'active'",
            "DROP INDEX hotel_search_position",
        ),
    ]
