"""The demo cities (demo/catalogue.yaml) and the names guests type for them.

Each entry: the city as hotels spell it, its country, and its aliases as
(name, language): a language code marks the name readers of that language are shown;
a blank one is a spelling that is only searched. Superusers add more in the admin.
"""

from django.db import migrations

PLACES = [
    ("Lisbon", "PT", [
        ("里斯本", "zh-hant"), ("리스본", "ko"), ("Lisboa", ""), ("Lisbonne", ""),
        ("Lissabon", ""), ("Lisbona", ""), ("リスボン", ""), ("Lisbo", ""),
    ]),
    ("Seoul", "KR", [
        ("首爾", "zh-hant"), ("서울", "ko"), ("首尔", ""), ("漢城", ""), ("汉城", ""),
        ("서울시", ""), ("서울특별시", ""), ("ソウル", ""), ("Seul", ""), ("Sŏul", ""),
        ("Soul", ""), ("Seoul City", ""),
    ]),
    ("New York", "US", [
        ("紐約", "zh-hant"), ("뉴욕", "ko"), ("纽约", ""), ("ニューヨーク", ""),
        ("NYC", ""), ("New York City", ""), ("Nueva York", ""), ("Manhattan", ""),
        ("Newyork", ""), ("NY", ""),
    ]),
    ("Tokyo", "JP", [
        ("東京", "zh-hant"), ("도쿄", "ko"), ("东京", ""), ("東京都", ""),
        ("とうきょう", ""), ("トウキョウ", ""), ("Tōkyō", ""), ("Tokio", ""),
        ("Toukyou", ""), ("동경", ""),
    ]),
    ("Taipei", "TW", [
        ("台北", "zh-hant"), ("타이베이", "ko"), ("臺北", ""), ("台北市", ""),
        ("臺北市", ""), ("Taibei", ""), ("Tʻai-pei", ""), ("Taipeh", ""),
        ("Taipé", ""), ("タイペイ", ""), ("Taipei City", ""), ("대북", ""),
    ]),
    ("Sydney", "AU", [
        ("雪梨", "zh-hant"), ("시드니", "ko"), ("悉尼", ""), ("シドニー", ""),
        ("Sídney", ""), ("Sidney", ""),
    ]),
    ("Honolulu", "US", [
        ("檀香山", "zh-hant"), ("호놀룰루", "ko"), ("火奴魯魯", ""), ("ホノルル", ""),
        ("Oahu", ""), ("O'ahu", ""), ("Waikiki", ""), ("Waikīkī", ""),
    ]),
]  # fmt: skip


def seed(apps, schema_editor):
    Place = apps.get_model("search", "Place")
    PlaceAlias = apps.get_model("search", "PlaceAlias")
    for name, country, aliases in PLACES:
        place, _ = Place.objects.get_or_create(name=name, country=country)
        for alias, language in aliases:
            if not PlaceAlias.objects.filter(
                place=place, name__iexact=alias
            ).exists():
                PlaceAlias.objects.create(place=place, name=alias, language=language)


def unseed(apps, schema_editor):
    Place = apps.get_model("search", "Place")
    for name, country, _ in PLACES:
        Place.objects.filter(name=name, country=country).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_places_and_aliases")]

    operations = [migrations.RunPython(seed, unseed)]
