"""The catalogue `seed_demo` builds from: cities, hotels, room types, amenities, seasons.

Plain data only; prices are in major units of the city's currency and become minor units
when the command writes them.
"""

from dataclasses import dataclass, field

# (code, name, scope)
AMENITIES = [
    ("wifi", "Free Wi-Fi", "hotel"),
    ("front-desk-24h", "24-hour front desk", "hotel"),
    ("restaurant", "Restaurant", "hotel"),
    ("bar", "Bar", "hotel"),
    ("breakfast", "Breakfast available", "hotel"),
    ("gym", "Fitness centre", "hotel"),
    ("spa", "Spa", "hotel"),
    ("pool", "Swimming pool", "hotel"),
    ("concierge", "Concierge", "hotel"),
    ("parking", "Parking", "hotel"),
    ("airport-shuttle", "Airport shuttle", "hotel"),
    ("laundry", "Laundry service", "hotel"),
    ("rooftop-terrace", "Rooftop terrace", "hotel"),
    ("beach-access", "Beach access", "hotel"),
    ("hot-spring", "Hot-spring baths", "hotel"),
    ("garden", "Garden", "hotel"),
    ("pet-friendly", "Pets allowed", "hotel"),
    ("ev-charging", "EV charging", "hotel"),
    ("business-centre", "Business centre", "hotel"),
    ("air-conditioning", "Air conditioning", "room"),
    ("minibar", "Minibar", "room"),
    ("safe", "In-room safe", "room"),
    ("coffee-machine", "Coffee machine", "room"),
    ("kettle", "Kettle and tea", "room"),
    ("bathtub", "Bathtub", "room"),
    ("balcony", "Balcony", "room"),
    ("kitchenette", "Kitchenette", "room"),
    ("workspace", "Work desk", "room"),
    ("smart-tv", "Smart TV", "room"),
    ("hairdryer", "Hairdryer", "room"),
    ("ocean-view", "Ocean view", "room"),
    ("city-view", "City view", "room"),
    ("floor-heating", "Heated floor", "room"),
]

BASE_HOTEL_AMENITIES = ["wifi", "front-desk-24h"]
STAR_HOTEL_AMENITIES = {
    3: ["breakfast", "laundry"],
    4: ["breakfast", "laundry", "restaurant", "bar", "gym", "concierge"],
    5: ["breakfast", "laundry", "restaurant", "bar", "gym", "concierge", "spa", "pool"],
}
OPTIONAL_HOTEL_AMENITIES = [
    "parking", "airport-shuttle", "rooftop-terrace", "garden", "pet-friendly",
    "ev-charging", "business-centre",
]  # fmt: skip
BASE_ROOM_AMENITIES = ["air-conditioning", "hairdryer", "smart-tv", "safe"]


@dataclass(frozen=True)
class RoomTypeSpec:
    code: str
    name: str
    bed_type: str
    size_sqm: int
    max_occupancy: int
    price_factor: float  # multiple of the hotel's base price
    rooms: tuple[int, int]  # inclusive range of the physical room count
    amenities: tuple[str, ...] = ()
    description: str = ""


ROOM_TYPES = {
    "city": [
        RoomTypeSpec(
            "standard-double",
            "Standard Double",
            "1 double bed",
            18,
            2,
            1.0,
            (20, 40),
            ("kettle", "workspace"),
            "A bright, compact room with a comfortable double bed and a rain shower.",
        ),
        RoomTypeSpec(
            "superior-twin",
            "Superior Twin",
            "2 single beds",
            24,
            2,
            1.2,
            (10, 25),
            ("kettle", "workspace", "minibar"),
            "Two single beds, a work desk by the window and a walk-in shower.",
        ),
        RoomTypeSpec(
            "deluxe-king",
            "Deluxe King",
            "1 king bed",
            32,
            2,
            1.45,
            (8, 20),
            ("coffee-machine", "minibar", "bathtub", "city-view"),
            "A spacious room on an upper floor with a king bed, a bathtub and city views.",
        ),
        RoomTypeSpec(
            "family-room",
            "Family Room",
            "1 queen bed and 2 single beds",
            38,
            4,
            1.7,
            (5, 12),
            ("kettle", "minibar"),
            "Room for four: a queen bed, two singles and a separate seating area.",
        ),
        RoomTypeSpec(
            "junior-suite",
            "Junior Suite",
            "1 king bed and a sofa bed",
            48,
            3,
            2.2,
            (5, 8),
            ("coffee-machine", "minibar", "bathtub", "balcony", "city-view"),
            "A corner suite with a lounge, a deep bathtub and a private balcony.",
        ),
    ],
    "hanok": [
        RoomTypeSpec(
            "ondol-room",
            "Ondol Room",
            "Traditional yo floor mattresses",
            16,
            2,
            1.0,
            (5, 10),
            ("floor-heating", "kettle"),
            "A hanji-papered room with heated ondol floors and yo mattresses laid out at night.",
        ),
        RoomTypeSpec(
            "courtyard-room",
            "Courtyard Room",
            "1 queen bed",
            22,
            2,
            1.3,
            (5, 8),
            ("floor-heating", "kettle", "bathtub"),
            "Opens onto the madang courtyard; a queen bed and a cedar bathtub.",
        ),
        RoomTypeSpec(
            "family-hanok",
            "Family Hanok",
            "Yo mattresses for four",
            34,
            4,
            1.8,
            (5, 6),
            ("floor-heating", "kettle"),
            "Two connected rooms around a wooden maru, for families and friends.",
        ),
    ],
    "ryokan": [
        RoomTypeSpec(
            "washitsu",
            "Japanese-style Room",
            "Futons on tatami",
            20,
            3,
            1.0,
            (10, 20),
            ("kettle",),
            "Eight-tatami room with futons, a low table, yukata and green tea.",
        ),
        RoomTypeSpec(
            "washitsu-bath",
            "Japanese-style Room with Bath",
            "Futons on tatami",
            28,
            3,
            1.5,
            (5, 10),
            ("kettle", "bathtub"),
            "A larger tatami room with a private hinoki bath overlooking the garden.",
        ),
        RoomTypeSpec(
            "western-twin",
            "Western-style Twin",
            "2 single beds",
            22,
            2,
            1.1,
            (5, 12),
            ("kettle", "workspace"),
            "Two beds, shoji screens and the same quiet as the tatami rooms.",
        ),
    ],
    "resort": [
        RoomTypeSpec(
            "garden-view",
            "Garden View Queen",
            "1 queen bed",
            28,
            2,
            1.0,
            (20, 40),
            ("coffee-machine", "balcony"),
            "A breezy room with a lanai over the tropical gardens.",
        ),
        RoomTypeSpec(
            "ocean-view-king",
            "Ocean View King",
            "1 king bed",
            34,
            2,
            1.5,
            (10, 25),
            ("coffee-machine", "balcony", "ocean-view", "minibar"),
            "Wake up to the ocean from a king bed and a furnished balcony.",
        ),
        RoomTypeSpec(
            "ocean-family",
            "Ocean View Family Suite",
            "2 queen beds",
            45,
            4,
            2.0,
            (5, 12),
            ("coffee-machine", "balcony", "ocean-view", "kitchenette"),
            "Two queen beds, a kitchenette and a wide balcony facing the water.",
        ),
        RoomTypeSpec(
            "penthouse-suite",
            "Penthouse Suite",
            "1 king bed and a sofa bed",
            70,
            3,
            3.2,
            (5, 6),
            ("coffee-machine", "balcony", "ocean-view", "minibar", "bathtub"),
            "The top floor: a living room, a soaking tub and a wraparound terrace.",
        ),
    ],
}


@dataclass(frozen=True)
class HotelSpec:
    name: str
    stars: int
    area: str  # a neighbourhood of the city, a key of CitySpec.areas
    address: str
    tagline: str
    style: str = "city"  # a key of ROOM_TYPES
    amenities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """Nights priced higher every year: starting month/day, number of nights, factor."""

    name: str
    month: int
    day: int
    nights: int
    factor: float


@dataclass(frozen=True)
class CitySpec:
    name: str
    country: str
    time_zone: str
    currency: str
    # Base nightly price of a standard room by star rating, in major units.
    prices: dict[int, int]
    # Prices are rounded to this many major units (KRW to 1,000 won, JPY to 100 yen).
    price_step: int
    # Price factor for each month, January first.
    seasons: tuple[float, ...]
    areas: dict[str, tuple[float, float]]
    palette: tuple[str, str]
    hotels: list[HotelSpec] = field(default_factory=list)
    events: tuple[Event, ...] = ()


CITIES = [
    CitySpec(
        name="Lisbon",
        country="PT",
        time_zone="Europe/Lisbon",
        currency="EUR",
        prices={3: 85, 4: 140, 5: 290},
        price_step=1,
        seasons=(0.8, 0.8, 0.9, 1.0, 1.1, 1.25, 1.3, 1.3, 1.2, 1.05, 0.85, 0.95),
        areas={
            "Alfama": (38.7118, -9.1300),
            "Chiado": (38.7107, -9.1427),
            "Baixa": (38.7110, -9.1366),
            "Príncipe Real": (38.7170, -9.1490),
            "Avenida da Liberdade": (38.7200, -9.1450),
            "Belém": (38.6970, -9.2060),
        },
        palette=("#1f5fa8", "#e07a3f"),
        events=(Event("Santo António", 6, 12, 2, 1.5),),
        hotels=[
            HotelSpec(
                "Casa do Fado",
                4,
                "Alfama",
                "Rua de São Miguel 21, 1100-544 Lisboa",
                "A tiled 18th-century townhouse in the lanes of Alfama, with fado drifting up "
                "from the taverns and views over the Tagus from the roof.",
                amenities=("rooftop-terrace",),
            ),
            HotelSpec(
                "Hotel Miradouro Chiado",
                5,
                "Chiado",
                "Rua Garrett 58, 1200-204 Lisboa",
                "Grand rooms above Rua Garrett, steps from the cafés and theatres of Chiado, "
                "with a rooftop bar looking across to the castle.",
                amenities=("rooftop-terrace", "airport-shuttle"),
            ),
            HotelSpec(
                "Baixa Pombalina Suites",
                3,
                "Baixa",
                "Rua dos Fanqueiros 112, 1100-232 Lisboa",
                "Simple, well-kept rooms in a Pombaline building between Rossio and the "
                "river, ideal for exploring the old town on foot.",
            ),
            HotelSpec(
                "Príncipe Real Garden House",
                4,
                "Príncipe Real",
                "Rua da Escola Politécnica 42, 1250-102 Lisboa",
                "A restored palacete with a walled garden, a short walk from the antique "
                "shops and viewpoints of Príncipe Real.",
                amenities=("garden", "pet-friendly"),
            ),
            HotelSpec(
                "Avenida Grand Lisboa",
                5,
                "Avenida da Liberdade",
                "Avenida da Liberdade 185, 1250-141 Lisboa",
                "Lisbon's tree-lined boulevard at the door: marble, a heated pool and a "
                "Michelin-minded restaurant.",
                amenities=("parking", "business-centre"),
            ),
            HotelSpec(
                "Belém Riverside Inn",
                3,
                "Belém",
                "Rua de Belém 64, 1300-085 Lisboa",
                "A friendly inn by the Jerónimos Monastery, two minutes from the famous "
                "custard tarts and the riverside promenade.",
                amenities=("parking",),
            ),
        ],
    ),
    CitySpec(
        name="Seoul",
        country="KR",
        time_zone="Asia/Seoul",
        currency="KRW",
        prices={3: 110_000, 4: 190_000, 5: 380_000},
        price_step=1_000,
        seasons=(0.85, 0.85, 0.95, 1.15, 1.2, 1.0, 1.05, 1.1, 1.05, 1.2, 1.05, 0.95),
        areas={
            "Bukchon": (37.5826, 126.9830),
            "Myeong-dong": (37.5636, 126.9850),
            "Gangnam": (37.4979, 127.0276),
            "Hongdae": (37.5563, 126.9236),
            "Itaewon": (37.5345, 126.9946),
        },
        palette=("#243b6b", "#3fa38c"),
        events=(Event("Chuseok", 10, 5, 4, 1.3),),
        hotels=[
            HotelSpec(
                "Bukchon Hanok Stay",
                3,
                "Bukchon",
                "37 Gyedong-gil, Jongno-gu, Seoul 03059",
                "A century-old hanok between Gyeongbokgung and Changdeokgung palaces, with "
                "heated ondol floors and breakfast served in the courtyard.",
                style="hanok",
                amenities=("garden",),
            ),
            HotelSpec(
                "Myeongdong Central Hotel",
                4,
                "Myeong-dong",
                "24 Myeongdong 8-gil, Jung-gu, Seoul 04536",
                "In the middle of Myeong-dong's shopping streets, with Namsan Tower in view "
                "and the airport bus stopping at the door.",
                amenities=("airport-shuttle",),
            ),
            HotelSpec(
                "Gangnam Skyline Tower",
                5,
                "Gangnam",
                "521 Teheran-ro, Gangnam-gu, Seoul 06164",
                "Forty floors above Teheran-ro: an indoor pool with a skyline view, a spa and "
                "direct access to COEX.",
                amenities=("business-centre", "parking", "ev-charging"),
            ),
            HotelSpec(
                "Hongdae Loft Hotel",
                3,
                "Hongdae",
                "19 Wausan-ro 21-gil, Mapo-gu, Seoul 04039",
                "Industrial lofts among the street musicians and cafés of Hongdae, a block "
                "from the airport railroad.",
                amenities=("rooftop-terrace",),
            ),
            HotelSpec(
                "Namsan View Hotel Itaewon",
                4,
                "Itaewon",
                "177 Itaewon-ro, Yongsan-gu, Seoul 04349",
                "Rooms facing Namsan on a quiet hillside above Itaewon's restaurants and "
                "galleries.",
                amenities=("pet-friendly",),
            ),
        ],
    ),
    CitySpec(
        name="New York",
        country="US",
        time_zone="America/New_York",
        currency="USD",
        prices={3: 190, 4: 310, 5: 650},
        price_step=1,
        seasons=(0.8, 0.8, 0.9, 1.0, 1.1, 1.15, 1.05, 1.0, 1.15, 1.2, 1.15, 1.3),
        areas={
            "Midtown": (40.7549, -73.9840),
            "SoHo": (40.7233, -74.0030),
            "Upper West Side": (40.7870, -73.9754),
            "Financial District": (40.7075, -74.0113),
            "Williamsburg": (40.7081, -73.9571),
            "Central Park South": (40.7657, -73.9760),
        },
        palette=("#2f3e55", "#d9a441"),
        events=(Event("New Year's Eve", 12, 30, 2, 1.6),),
        hotels=[
            HotelSpec(
                "Hudson & Fifth",
                4,
                "Midtown",
                "412 Fifth Avenue, New York, NY 10018",
                "A 1920s office tower turned hotel between Bryant Park and the Empire State "
                "Building, with a lobby bar that stays busy until late.",
                amenities=("business-centre",),
            ),
            HotelSpec(
                "SoHo Cast Iron House",
                4,
                "SoHo",
                "88 Greene Street, New York, NY 10012",
                "High ceilings and tall windows in a cast-iron landmark on cobbled Greene "
                "Street, surrounded by galleries and boutiques.",
                amenities=("pet-friendly",),
            ),
            HotelSpec(
                "The Riverside Park Inn",
                3,
                "Upper West Side",
                "301 West 77th Street, New York, NY 10024",
                "A brownstone inn near Riverside Park and the Museum of Natural History, "
                "with a neighbourhood feel and easy subway links.",
            ),
            HotelSpec(
                "Liberty Harbor Hotel",
                4,
                "Financial District",
                "71 Pearl Street, New York, NY 10004",
                "Harbour views toward the Statue of Liberty, a short walk from the Staten "
                "Island Ferry and Wall Street.",
                amenities=("business-centre", "parking"),
            ),
            HotelSpec(
                "Williamsburg Bridge Lofts",
                3,
                "Williamsburg",
                "146 Wythe Avenue, Brooklyn, NY 11249",
                "Warehouse lofts in Brooklyn with a rooftop looking back at the Manhattan skyline.",
                amenities=("rooftop-terrace", "pet-friendly"),
            ),
            HotelSpec(
                "The Meridian Central Park",
                5,
                "Central Park South",
                "112 Central Park South, New York, NY 10019",
                "Classic New York luxury on the edge of Central Park: butler service, a spa "
                "and suites above the treetops.",
                amenities=("parking", "airport-shuttle"),
            ),
        ],
    ),
    CitySpec(
        name="Tokyo",
        country="JP",
        time_zone="Asia/Tokyo",
        currency="JPY",
        prices={3: 14_000, 4: 26_000, 5: 60_000},
        price_step=100,
        seasons=(0.9, 0.9, 1.2, 1.3, 1.0, 0.95, 1.0, 1.05, 0.95, 1.05, 1.15, 1.0),
        areas={
            "Asakusa": (35.7148, 139.7967),
            "Ginza": (35.6717, 139.7650),
            "Shinjuku": (35.6938, 139.7034),
            "Shibuya": (35.6580, 139.7016),
            "Marunouchi": (35.6812, 139.7671),
        },
        palette=("#1c2541", "#e58fa7"),
        events=(Event("Golden Week", 4, 29, 7, 1.4),),
        hotels=[
            HotelSpec(
                "Asakusa Ryokan Sakura",
                3,
                "Asakusa",
                "2-14-8 Asakusa, Taitō-ku, Tokyo 111-0032",
                "A family-run ryokan behind Sensō-ji temple: tatami rooms, a shared cypress "
                "bath and a Japanese breakfast.",
                style="ryokan",
                amenities=("hot-spring",),
            ),
            HotelSpec(
                "Ginza Kōsha Hotel",
                5,
                "Ginza",
                "6-4-1 Ginza, Chūō-ku, Tokyo 104-0061",
                "Quiet refinement above Ginza's department stores, with a sushi counter and "
                "a spa on the top floor.",
                amenities=("business-centre",),
            ),
            HotelSpec(
                "Shinjuku Garden Terrace",
                4,
                "Shinjuku",
                "3-22-5 Shinjuku, Shinjuku-ku, Tokyo 160-0022",
                "Next to Shinjuku Gyoen, with a terrace over the garden and the busiest "
                "station in the world around the corner.",
                amenities=("garden", "rooftop-terrace"),
            ),
            HotelSpec(
                "Shibuya Crossing Hotel",
                4,
                "Shibuya",
                "2-21-3 Shibuya, Shibuya-ku, Tokyo 150-0002",
                "Design rooms overlooking the scramble crossing, with a café-bar that never "
                "seems to close.",
            ),
            HotelSpec(
                "Marunouchi Station Hotel",
                5,
                "Marunouchi",
                "1-8-2 Marunouchi, Chiyoda-ku, Tokyo 100-0005",
                "Steps from the Shinkansen platforms and the Imperial Palace gardens, in the "
                "calm of Marunouchi.",
                amenities=("business-centre", "airport-shuttle"),
            ),
        ],
    ),
    CitySpec(
        name="Taipei",
        country="TW",
        time_zone="Asia/Taipei",
        currency="TWD",
        prices={3: 2_800, 4: 4_800, 5: 9_500},
        price_step=10,
        seasons=(1.05, 1.2, 1.0, 1.05, 0.95, 0.95, 1.1, 1.1, 0.9, 1.05, 1.1, 1.15),
        areas={
            "Xinyi": (25.0330, 121.5654),
            "Da'an": (25.0263, 121.5436),
            "Ximending": (25.0422, 121.5079),
            "Zhongshan": (25.0527, 121.5204),
            "Beitou": (25.1367, 121.5066),
        },
        palette=("#0f5257", "#d1495b"),
        events=(Event("New Year fireworks", 12, 31, 1, 1.5),),
        hotels=[
            HotelSpec(
                "Xinyi Sky Hotel",
                5,
                "Xinyi",
                "No. 18, Songgao Road, Xinyi District, Taipei 110",
                "Floor-to-ceiling windows facing Taipei 101, an infinity pool and the "
                "night markets a short MRT ride away.",
                amenities=("business-centre", "parking"),
            ),
            HotelSpec(
                "Da'an Park Residence",
                4,
                "Da'an",
                "No. 100, Section 2, Xinyi Road, Da'an District, Taipei 106",
                "Calm, leafy rooms beside Da'an Forest Park and Yongkang Street's dumpling houses.",
                amenities=("garden",),
            ),
            HotelSpec(
                "Ximen Neon Inn",
                3,
                "Ximending",
                "No. 50, Chengdu Road, Wanhua District, Taipei 108",
                "A bright, playful hotel in the heart of Ximending's pedestrian streets, "
                "near Longshan Temple.",
            ),
            HotelSpec(
                "Zhongshan Heritage Hotel",
                4,
                "Zhongshan",
                "No. 41, Nanjing West Road, Zhongshan District, Taipei 104",
                "A 1930s building restored with teak and terrazzo, between Dadaocheng's tea "
                "houses and Zhongshan's boutiques.",
            ),
            HotelSpec(
                "Beitou Hot Spring Retreat",
                4,
                "Beitou",
                "No. 6, Zhongshan Road, Beitou District, Taipei 112",
                "Mineral hot-spring baths in every room, in the green hills at the end of "
                "the MRT line.",
                amenities=("hot-spring", "spa", "garden"),
            ),
        ],
    ),
    CitySpec(
        name="Sydney",
        country="AU",
        time_zone="Australia/Sydney",
        currency="AUD",
        prices={3: 170, 4: 260, 5: 520},
        price_step=1,
        # Southern hemisphere: summer is December to February.
        seasons=(1.3, 1.2, 1.1, 1.0, 0.9, 0.85, 0.9, 0.9, 0.95, 1.05, 1.1, 1.3),
        areas={
            "The Rocks": (-33.8599, 151.2090),
            "Darling Harbour": (-33.8748, 151.2000),
            "Surry Hills": (-33.8861, 151.2111),
            "Bondi Beach": (-33.8915, 151.2767),
            "Circular Quay": (-33.8610, 151.2108),
        },
        palette=("#0b4f6c", "#f2b880"),
        events=(Event("New Year's Eve on the harbour", 12, 31, 1, 1.8),),
        hotels=[
            HotelSpec(
                "Harbourlight Hotel The Rocks",
                5,
                "The Rocks",
                "88 George Street, The Rocks NSW 2000",
                "Sandstone and glass above the oldest streets in Sydney, with the Harbour "
                "Bridge filling the window.",
                amenities=("rooftop-terrace", "airport-shuttle"),
            ),
            HotelSpec(
                "Darling Wharf Hotel",
                4,
                "Darling Harbour",
                "31 Wheat Road, Sydney NSW 2000",
                "On the water at Darling Harbour, close to the convention centre, the "
                "aquarium and the ferries.",
                amenities=("parking", "business-centre"),
            ),
            HotelSpec(
                "Surry Hills Terrace",
                3,
                "Surry Hills",
                "412 Crown Street, Surry Hills NSW 2010",
                "A row of Victorian terraces on Crown Street's café strip, a short walk from "
                "Central Station.",
                amenities=("pet-friendly",),
            ),
            HotelSpec(
                "Bondi Surf Lodge",
                3,
                "Bondi Beach",
                "140 Campbell Parade, Bondi Beach NSW 2026",
                "Across the road from the surf, with boards to borrow and the Bondi to "
                "Coogee walk starting nearby.",
                style="resort",
                amenities=("beach-access",),
            ),
            HotelSpec(
                "Quayside Opera Suites",
                5,
                "Circular Quay",
                "61 Macquarie Street, Sydney NSW 2000",
                "Suites looking straight at the Opera House sails, next to the Royal "
                "Botanic Garden.",
                amenities=("garden", "parking"),
            ),
        ],
    ),
    CitySpec(
        name="Honolulu",
        country="US",
        time_zone="Pacific/Honolulu",
        currency="USD",
        prices={3: 210, 4: 340, 5: 620},
        price_step=1,
        seasons=(1.2, 1.2, 1.15, 1.0, 0.9, 1.05, 1.15, 1.15, 0.9, 0.9, 0.95, 1.25),
        areas={
            "Waikiki": (21.2793, -157.8292),
            "Diamond Head": (21.2620, -157.8057),
            "Ala Moana": (21.2906, -157.8430),
            "Downtown": (21.3099, -157.8581),
        },
        palette=("#1b998b", "#f46036"),
        events=(Event("Honolulu Marathon weekend", 12, 12, 3, 1.3),),
        hotels=[
            HotelSpec(
                "Waikiki Palms Resort",
                4,
                "Waikiki",
                "2300 Kalākaua Avenue, Honolulu, HI 96815",
                "A low-rise resort among the palms of Waikiki Beach, with hula at sunset "
                "and a lagoon pool.",
                style="resort",
                amenities=("beach-access", "pool"),
            ),
            HotelSpec(
                "Diamond Head Beach House",
                4,
                "Diamond Head",
                "2947 Kalākaua Avenue, Honolulu, HI 96815",
                "A quiet beach house at the foot of Diamond Head, away from the bustle but "
                "on the sand.",
                style="resort",
                amenities=("beach-access", "garden"),
            ),
            HotelSpec(
                "Ala Moana Plumeria Hotel",
                3,
                "Ala Moana",
                "1777 Ala Moana Boulevard, Honolulu, HI 96815",
                "Good-value rooms between Ala Moana Beach Park and the shopping centre, "
                "with a plumeria-scented pool deck.",
                amenities=("pool", "parking"),
            ),
            HotelSpec(
                "Aloha Tower Boutique Hotel",
                3,
                "Downtown",
                "120 Merchant Street, Honolulu, HI 96813",
                "A boutique hotel in a 1920s stone building in historic downtown, near the "
                "harbour and Chinatown's lei stands.",
            ),
        ],
    ),
]

# Check-in / check-out times (hour, minute) a hotel picks from.
CHECK_IN_TIMES = [(14, 0), (15, 0), (15, 0), (16, 0)]
CHECK_OUT_TIMES = [(10, 0), (11, 0), (11, 0), (12, 0)]
ROOM_FEATURES = [
    "quiet",
    "city view",
    "near lift",
    "accessible",
    "corner",
    "high floor",
]


def hotel_catalogue() -> list[tuple[CitySpec, HotelSpec]]:
    """Return every demo hotel with its city, cities interleaved.

    Interleaving makes `--hotels N` cover as many cities and time zones as it can.
    """
    rows: list[tuple[CitySpec, HotelSpec]] = []
    depth = max(len(city.hotels) for city in CITIES)
    for index in range(depth):
        for city in CITIES:
            if index < len(city.hotels):
                rows.append((city, city.hotels[index]))
    return rows
