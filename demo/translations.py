"""The demo's hotel content in Traditional Chinese and Korean, by the catalogue's keys.

Hotels are found by their catalogue name; names keep their Latin form unless the hotel
has a native one (Seoul, Taipei and Tokyo hotels), and addresses are translated where
the local script is the one guests use. Room types, plans and amenities by their code.
Each entry is (zh-Hant, ko); an empty text falls back to English.
"""

HOTELS = {
    # name: {field: (zh-Hant, ko)}
    "Casa do Fado": {
        "description": (
            "位於阿法瑪小巷中的十八世紀磁磚老宅，酒館的法朵歌聲飄揚而上，"
            "從屋頂可眺望太加斯河。",
            "알파마 골목에 자리한 18세기 타일 타운하우스로, 선술집의 파두 선율이 "
            "들려오고 옥상에서는 테주강이 내려다보입니다.",
        ),
    },
    "Hotel Miradouro Chiado": {
        "description": (
            "加勒特街上的典雅客房，距希亞多的咖啡館與劇院僅數步之遙，"
            "屋頂酒吧可遠眺城堡。",
            "가헤트 거리 위의 웅장한 객실로, 시아두의 카페와 극장이 몇 걸음 거리에 "
            "있으며 루프탑 바에서는 성이 바라보입니다.",
        ),
    },
    "Baixa Pombalina Suites": {
        "description": (
            "位於羅西歐廣場與河岸之間的龐巴爾式建築，客房簡潔整潔，適合步行探索舊城。",
            "호시우 광장과 강 사이의 퐁발린 양식 건물에 있는 소박하고 깔끔한 "
            "객실로, 걸어서 구시가지를 둘러보기에 좋습니다.",
        ),
    },
    "Príncipe Real Garden House": {
        "description": (
            "修復後的小宮殿，擁有圍牆花園，步行即可抵達王子區的古董店與觀景台。",
            "담장 정원이 있는 복원된 저택으로, 프린시페 헤알의 골동품 가게와 "
            "전망대까지 걸어서 금방입니다.",
        ),
    },
    "Avenida Grand Lisboa": {
        "description": (
            "里斯本林蔭大道就在門前：大理石裝潢、溫水泳池與追求米其林水準的餐廳。",
            "리스본의 가로수 대로가 바로 앞에 있습니다. 대리석 인테리어, 온수 "
            "수영장, 미쉐린급을 지향하는 레스토랑을 갖추었습니다.",
        ),
    },
    "Belém Riverside Inn": {
        "description": (
            "熱情友善的旅館，鄰近熱羅尼莫斯修道院，距知名的蛋塔店與河濱步道僅兩分鐘。",
            "제로니무스 수도원 옆의 정겨운 여관으로, 유명한 에그타르트 가게와 "
            "강변 산책로까지 2분 거리입니다.",
        ),
    },
    "Bukchon Hanok Stay": {
        "name": ("北村韓屋住宿", "북촌 한옥스테이"),
        "address": ("首爾鍾路區桂洞街 37 號 03059", "서울 종로구 계동길 37 (03059)"),
        "description": (
            "位於景福宮與昌德宮之間的百年韓屋，有溫暖的暖炕地板，早餐在庭院中享用。",
            "경복궁과 창덕궁 사이에 자리한 백 년 된 한옥으로, 따뜻한 온돌 바닥이 "
            "있고 아침 식사는 마당에서 드립니다.",
        ),
    },
    "Myeongdong Central Hotel": {
        "name": ("明洞中央酒店", "명동 센트럴 호텔"),
        "address": (
            "首爾中區明洞 8 街 24 號 04536",
            "서울 중구 명동8길 24 (04536)",
        ),
        "description": (
            "位於明洞購物街中心，可望見南山塔，機場巴士就停在門口。",
            "명동 쇼핑 거리 한가운데에 있어 남산타워가 보이며, 공항버스가 호텔 "
            "앞에 정차합니다.",
        ),
    },
    "Gangnam Skyline Tower": {
        "name": ("江南天際大樓酒店", "강남 스카이라인 타워"),
        "address": (
            "首爾江南區德黑蘭路 521 號 06164",
            "서울 강남구 테헤란로 521 (06164)",
        ),
        "description": (
            "高踞德黑蘭路之上四十層：可欣賞天際線的室內泳池、水療中心，並直通 COEX。",
            "테헤란로 위 40층 높이에서 스카이라인을 바라보는 실내 수영장과 스파를 "
            "갖추었으며 코엑스와 바로 연결됩니다.",
        ),
    },
    "Hongdae Loft Hotel": {
        "name": ("弘大閣樓酒店", "홍대 로프트 호텔"),
        "address": (
            "首爾麻浦區臥牛山路 21 街 19 號 04039",
            "서울 마포구 와우산로21길 19 (04039)",
        ),
        "description": (
            "工業風閣樓客房，周圍是弘大的街頭音樂人與咖啡館，距機場鐵路僅一個街區。",
            "홍대의 거리 음악가와 카페 사이에 있는 인더스트리얼 로프트로, 공항철도"
            "에서 한 블록 거리입니다.",
        ),
    },
    "Namsan View Hotel Itaewon": {
        "name": ("梨泰院南山景觀酒店", "남산뷰 호텔 이태원"),
        "address": (
            "首爾龍山區梨泰院路 177 號 04349",
            "서울 용산구 이태원로 177 (04349)",
        ),
        "description": (
            "客房面向南山，坐落在梨泰院餐廳與藝廊上方的寧靜山坡。",
            "이태원의 레스토랑과 갤러리 위 조용한 언덕에 있으며, 객실에서 남산이 "
            "보입니다.",
        ),
    },
    "Hudson & Fifth": {
        "description": (
            "由 1920 年代辦公大樓改建的酒店，位於布萊恩公園與帝國大廈之間，"
            "大廳酒吧熱鬧至深夜。",
            "브라이언트 공원과 엠파이어 스테이트 빌딩 사이, 1920년대 사무용 "
            "빌딩을 개조한 호텔로 로비 바는 밤늦게까지 붐빕니다.",
        ),
    },
    "SoHo Cast Iron House": {
        "description": (
            "位於鵝卵石格林街的鑄鐵地標建築，挑高天花板與高窗，四周滿是藝廊與精品店。",
            "자갈길 그린 스트리트의 주철 건축 명소로, 높은 천장과 큰 창이 있고 "
            "갤러리와 부티크로 둘러싸여 있습니다.",
        ),
    },
    "The Riverside Park Inn": {
        "description": (
            "鄰近河濱公園與自然史博物館的褐石旅館，充滿街坊氣息，搭地鐵十分便利。",
            "리버사이드 공원과 자연사 박물관 근처의 브라운스톤 여관으로, 동네 "
            "분위기가 있고 지하철 이용이 편리합니다.",
        ),
    },
    "Liberty Harbor Hotel": {
        "description": (
            "可望見自由女神像的港灣景觀，步行即可抵達史泰登島渡輪與華爾街。",
            "자유의 여신상이 보이는 항구 전망을 갖추었으며, 스태튼 아일랜드 "
            "페리와 월스트리트까지 걸어서 가깝습니다.",
        ),
    },
    "Williamsburg Bridge Lofts": {
        "description": (
            "布魯克林的倉庫閣樓，屋頂可回望曼哈頓天際線。",
            "브루클린의 창고형 로프트로, 옥상에서 맨해튼 스카이라인을 바라볼 수 "
            "있습니다.",
        ),
    },
    "The Meridian Central Park": {
        "description": (
            "中央公園畔的經典紐約奢華：管家服務、水療中心與高於樹梢的套房。",
            "센트럴 파크 가장자리의 클래식한 뉴욕 럭셔리: 버틀러 서비스, 스파, "
            "나무 위로 솟은 스위트룸을 갖추었습니다.",
        ),
    },
    "Asakusa Ryokan Sakura": {
        "name": ("淺草櫻花旅館", "아사쿠사 료칸 사쿠라"),
        "address": (
            "東京都台東區淺草 2-14-8 111-0032",
            "도쿄도 다이토구 아사쿠사 2-14-8",
        ),
        "description": (
            "淺草寺後方的家族經營旅館：榻榻米客房、共用檜木浴池與日式早餐。",
            "센소지 뒤편의 가족 경영 료칸으로, 다다미 객실과 공용 노송나무 탕, "
            "일본식 아침 식사를 제공합니다.",
        ),
    },
    "Ginza Kōsha Hotel": {
        "name": ("銀座光舍酒店", "긴자 고샤 호텔"),
        "address": ("東京都中央區銀座 6-4-1 104-0061", "도쿄도 주오구 긴자 6-4-1"),
        "description": (
            "銀座百貨公司上方的寧靜雅緻，設有壽司吧台，頂樓有水療中心。",
            "긴자 백화점 거리 위의 조용한 세련미로, 스시 카운터와 꼭대기 층의 "
            "스파를 갖추었습니다.",
        ),
    },
    "Shinjuku Garden Terrace": {
        "name": ("新宿花園露台酒店", "신주쿠 가든 테라스"),
        "address": (
            "東京都新宿區新宿 3-22-5 160-0022",
            "도쿄도 신주쿠구 신주쿠 3-22-5",
        ),
        "description": (
            "緊鄰新宿御苑，露台俯瞰庭園，世界最繁忙的車站就在轉角。",
            "신주쿠교엔 바로 옆에 정원이 내려다보이는 테라스가 있고, 세계에서 "
            "가장 붐비는 역이 모퉁이에 있습니다.",
        ),
    },
    "Shibuya Crossing Hotel": {
        "name": ("澀谷十字路口酒店", "시부야 크로싱 호텔"),
        "address": (
            "東京都澀谷區澀谷 2-21-3 150-0002",
            "도쿄도 시부야구 시부야 2-21-3",
        ),
        "description": (
            "設計感客房俯瞰全向十字路口，咖啡酒吧彷彿從不打烊。",
            "스크램블 교차로가 내려다보이는 디자인 객실과 문을 닫지 않는 듯한 "
            "카페 바가 있습니다.",
        ),
    },
    "Marunouchi Station Hotel": {
        "name": ("丸之內車站酒店", "마루노우치 스테이션 호텔"),
        "address": (
            "東京都千代田區丸之內 1-8-2 100-0005",
            "도쿄도 지요다구 마루노우치 1-8-2",
        ),
        "description": (
            "距新幹線月台與皇居庭園僅數步，坐落於寧靜的丸之內。",
            "신칸센 승강장과 고쿄 정원에서 몇 걸음 거리, 고요한 마루노우치에 있습니다.",
        ),
    },
    "Xinyi Sky Hotel": {
        "name": ("信義天空酒店", "신이 스카이 호텔"),
        "address": ("110 台北市信義區松高路 18 號", "타이베이시 신이구 쑹가오로 18호"),
        "description": (
            "落地窗正對台北 101，設有無邊際泳池，搭捷運不久即可抵達夜市。",
            "타이베이 101을 마주한 통유리 창과 인피니티 풀을 갖추었으며, MRT로 "
            "야시장까지 금방입니다.",
        ),
    },
    "Da'an Park Residence": {
        "name": ("大安公園寓所", "다안 파크 레지던스"),
        "address": (
            "106 台北市大安區信義路二段 100 號",
            "타이베이시 다안구 신이로 2단 100호",
        ),
        "description": (
            "寧靜綠意的客房，緊鄰大安森林公園與永康街的小籠包名店。",
            "다안 삼림공원과 융캉제의 샤오롱바오 가게 옆에 있는 조용하고 푸르른 "
            "객실입니다.",
        ),
    },
    "Ximen Neon Inn": {
        "name": ("西門霓虹旅店", "시먼 네온 인"),
        "address": ("108 台北市萬華區成都路 50 號", "타이베이시 완화구 청두로 50호"),
        "description": (
            "位於西門町行人徒步區中心的明亮繽紛旅店，鄰近龍山寺。",
            "시먼딩 보행자 거리 한가운데의 밝고 경쾌한 호텔로, 룽산사와 가깝습니다.",
        ),
    },
    "Zhongshan Heritage Hotel": {
        "name": ("中山古蹟酒店", "중산 헤리티지 호텔"),
        "address": (
            "104 台北市中山區南京西路 41 號",
            "타이베이시 중산구 난징시로 41호",
        ),
        "description": (
            "以柚木與磨石子修復的 1930 年代建築，位於大稻埕茶行與中山精品店之間。",
            "티크와 테라초로 복원한 1930년대 건물로, 다다오청의 찻집과 중산의 "
            "부티크 사이에 있습니다.",
        ),
    },
    "Beitou Hot Spring Retreat": {
        "name": ("北投溫泉會館", "베이터우 온천 리트리트"),
        "address": ("112 台北市北投區中山路 6 號", "타이베이시 베이터우구 중산로 6호"),
        "description": (
            "每間客房皆有礦物溫泉浴池，位於捷運線終點的青翠山丘間。",
            "모든 객실에 광천 온천탕이 있으며, MRT 노선 끝자락의 푸른 언덕에 "
            "자리합니다.",
        ),
    },
    "Harbourlight Hotel The Rocks": {
        "description": (
            "雪梨最古老街道上方的砂岩與玻璃建築，窗外就是港灣大橋。",
            "시드니에서 가장 오래된 거리 위의 사암과 유리 건물로, 창밖으로 하버 "
            "브리지가 가득 보입니다.",
        ),
    },
    "Darling Wharf Hotel": {
        "description": (
            "位於達令港水岸，鄰近會議中心、水族館與渡輪碼頭。",
            "달링 하버 물가에 있어 컨벤션 센터, 아쿠아리움, 페리 선착장과 가깝습니다.",
        ),
    },
    "Surry Hills Terrace": {
        "description": (
            "皇冠街咖啡街上一排維多利亞式連棟屋，步行不久即可抵達中央車站。",
            "크라운 스트리트 카페 거리의 빅토리아풍 테라스 하우스로, 센트럴역"
            "까지 걸어서 가깝습니다.",
        ),
    },
    "Bondi Surf Lodge": {
        "description": (
            "與海浪僅一路之隔，可借用衝浪板，邦代至庫吉海岸步道就在附近起步。",
            "파도와 길 하나를 사이에 두고 있어 서핑보드를 빌릴 수 있으며, 본다이"
            "–쿠지 해안 산책로가 근처에서 시작됩니다.",
        ),
    },
    "Quayside Opera Suites": {
        "description": (
            "套房正對雪梨歌劇院的白色風帆，緊鄰皇家植物園。",
            "오페라 하우스의 돛 모양 지붕을 정면으로 바라보는 스위트룸으로, 왕립 "
            "식물원 옆에 있습니다.",
        ),
    },
    "Waikiki Palms Resort": {
        "description": (
            "威基基海灘棕櫚樹間的低層度假村，黃昏有草裙舞表演，還有潟湖泳池。",
            "와이키키 해변 야자수 사이의 저층 리조트로, 해 질 녘 훌라 공연과 "
            "라군 수영장이 있습니다.",
        ),
    },
    "Diamond Head Beach House": {
        "description": (
            "鑽石頭山腳下的寧靜海濱小屋，遠離喧囂，卻就在沙灘上。",
            "다이아몬드 헤드 기슭의 조용한 비치 하우스로, 번잡함에서 벗어나 "
            "모래사장 바로 위에 있습니다.",
        ),
    },
    "Ala Moana Plumeria Hotel": {
        "description": (
            "位於阿拉莫阿納海灘公園與購物中心之間的超值客房，泳池畔飄著緬梔花香。",
            "알라모아나 비치 파크와 쇼핑센터 사이의 가성비 좋은 객실로, 플루메리아 "
            "향이 감도는 풀 데크가 있습니다.",
        ),
    },
    "Aloha Tower Boutique Hotel": {
        "description": (
            "位於歷史悠久市中心一棟 1920 年代石造建築內的精品酒店，"
            "鄰近港口與唐人街的花環攤。",
            "유서 깊은 다운타운의 1920년대 석조 건물에 있는 부티크 호텔로, 항구와 "
            "차이나타운의 레이 가판대 근처입니다.",
        ),
    },
}

ROOM_TYPES = {
    # code: {field: (zh-Hant, ko)}
    "standard-double": {
        "name": ("標準雙人房", "스탠다드 더블"),
        "description": (
            "明亮精巧的客房，配有舒適的雙人床與雨淋式淋浴。",
            "편안한 더블 침대와 레인 샤워를 갖춘 밝고 아담한 객실입니다.",
        ),
    },
    "superior-twin": {
        "name": ("高級雙床房", "슈페리어 트윈"),
        "description": (
            "兩張單人床、窗邊書桌與步入式淋浴間。",
            "싱글 침대 두 개, 창가의 업무용 책상, 워크인 샤워를 갖추었습니다.",
        ),
    },
    "deluxe-king": {
        "name": ("豪華特大床房", "디럭스 킹"),
        "description": (
            "位於高樓層的寬敞客房，配有特大床、浴缸與城市景觀。",
            "높은 층에 있는 넓은 객실로, 킹 침대와 욕조, 시내 전망을 갖추었습니다.",
        ),
    },
    "family-room": {
        "name": ("家庭房", "패밀리룸"),
        "description": (
            "可容納四人：一張大床、兩張單人床與獨立起居區。",
            "4인용 객실로, 퀸 침대 하나와 싱글 침대 둘, 별도의 좌식 공간이 있습니다.",
        ),
    },
    "junior-suite": {
        "name": ("小套房", "주니어 스위트"),
        "description": (
            "轉角套房，設有起居空間、深浴缸與私人陽台。",
            "라운지와 깊은 욕조, 전용 발코니를 갖춘 코너 스위트입니다.",
        ),
    },
    "ondol-room": {
        "name": ("暖炕房", "온돌방"),
        "description": (
            "以韓紙糊牆的客房，有溫暖的暖炕地板，夜間鋪上傳統褥墊。",
            "한지를 바른 방으로, 따뜻한 온돌 바닥에 밤이면 요를 깔아 드립니다.",
        ),
    },
    "courtyard-room": {
        "name": ("庭院房", "마당방"),
        "description": (
            "面向韓屋庭院，配有一張大床與雪松木浴缸。",
            "마당으로 문이 열리며, 퀸 침대와 삼나무 욕조가 있습니다.",
        ),
    },
    "family-hanok": {
        "name": ("家庭韓屋", "가족 한옥"),
        "description": (
            "兩間相連的房間圍繞著木造抹樓，適合家人與朋友同住。",
            "나무 마루를 사이에 둔 두 개의 연결된 방으로, 가족과 친구에게 알맞습니다.",
        ),
    },
    "washitsu": {
        "name": ("日式和室", "일본식 다다미방"),
        "description": (
            "八疊榻榻米客房，備有被褥、矮桌、浴衣與綠茶。",
            "다다미 여덟 장 크기의 방으로, 이불과 좌탁, 유카타, 녹차가 준비되어 "
            "있습니다.",
        ),
    },
    "washitsu-bath": {
        "name": ("附浴池日式和室", "욕실 딸린 일본식 다다미방"),
        "description": (
            "較寬敞的榻榻米客房，附有可俯瞰庭園的私人檜木浴池。",
            "정원이 내려다보이는 전용 히노키 욕조가 딸린 넓은 다다미방입니다.",
        ),
    },
    "western-twin": {
        "name": ("西式雙床房", "서양식 트윈"),
        "description": (
            "兩張床、障子紙門，與榻榻米客房同樣寧靜。",
            "침대 두 개와 쇼지 문이 있으며, 다다미방처럼 조용합니다.",
        ),
    },
    "garden-view": {
        "name": ("花園景觀大床房", "가든뷰 퀸"),
        "description": (
            "通風舒爽的客房，陽台俯瞰熱帶花園。",
            "열대 정원이 내려다보이는 라나이가 있는 시원한 객실입니다.",
        ),
    },
    "ocean-view-king": {
        "name": ("海景特大床房", "오션뷰 킹"),
        "description": (
            "在特大床與布置完善的陽台上醒來迎接海景。",
            "킹 침대와 가구를 갖춘 발코니에서 바다를 보며 눈을 뜹니다.",
        ),
    },
    "ocean-family": {
        "name": ("海景家庭套房", "오션뷰 패밀리 스위트"),
        "description": (
            "兩張大床、小廚房與面海的寬敞陽台。",
            "퀸 침대 두 개와 간이 주방, 바다를 향한 넓은 발코니가 있습니다.",
        ),
    },
    "penthouse-suite": {
        "name": ("頂層套房", "펜트하우스 스위트"),
        "description": (
            "位於頂樓：客廳、泡澡浴缸與環繞式露台。",
            "꼭대기 층에 거실과 욕조, 건물을 두르는 테라스가 있습니다.",
        ),
    },
}

RATE_PLANS = {
    "flexible": {"name": ("彈性取消", "자유 취소")},
    "non-refundable": {"name": ("不可退款，立即付款", "환불 불가, 즉시 결제")},
    "bed-and-breakfast": {"name": ("含早餐", "조식 포함")},
}

POLICIES = {
    # by the English name seed_policies gives them
    "Flexible": {
        "name": ("彈性", "자유 취소"),
        "description": (
            "入住前至少 2 天取消可全額退款，入住前一天前取消退款 50%；入住當天取消不退款。",
            "도착 2일 전까지 취소하면 전액, 전날까지는 50%를 환불해 드립니다. "
            "도착 당일 취소는 환불되지 않습니다.",
        ),
    },
    "Moderate": {
        "name": ("中等", "일반 취소"),
        "description": (
            "入住前至少 7 天取消可全額退款，入住前 3 天前取消退款 50%；之後不退款。",
            "도착 7일 전까지 취소하면 전액, 3일 전까지는 50%를 환불해 드립니다. "
            "그 이후에는 환불되지 않습니다.",
        ),
    },
}

AMENITIES = {
    "wifi": ("免費 Wi-Fi", "무료 Wi-Fi"),
    "front-desk-24h": ("24 小時櫃台", "24시간 프런트 데스크"),
    "restaurant": ("餐廳", "레스토랑"),
    "bar": ("酒吧", "바"),
    "breakfast": ("提供早餐", "조식 제공"),
    "gym": ("健身中心", "피트니스 센터"),
    "spa": ("水療中心", "스파"),
    "pool": ("游泳池", "수영장"),
    "concierge": ("禮賓服務", "컨시어지"),
    "parking": ("停車場", "주차장"),
    "airport-shuttle": ("機場接駁", "공항 셔틀"),
    "laundry": ("洗衣服務", "세탁 서비스"),
    "rooftop-terrace": ("屋頂露台", "루프탑 테라스"),
    "beach-access": ("可直達海灘", "해변 이용 가능"),
    "hot-spring": ("溫泉浴池", "온천탕"),
    "garden": ("花園", "정원"),
    "pet-friendly": ("可攜帶寵物", "반려동물 동반 가능"),
    "ev-charging": ("電動車充電", "전기차 충전"),
    "business-centre": ("商務中心", "비즈니스 센터"),
    "air-conditioning": ("空調", "에어컨"),
    "minibar": ("迷你吧", "미니바"),
    "safe": ("客房保險箱", "객실 금고"),
    "coffee-machine": ("咖啡機", "커피 머신"),
    "kettle": ("熱水壺與茶包", "전기 포트와 차"),
    "bathtub": ("浴缸", "욕조"),
    "balcony": ("陽台", "발코니"),
    "kitchenette": ("小廚房", "간이 주방"),
    "workspace": ("書桌", "업무용 책상"),
    "smart-tv": ("智慧電視", "스마트 TV"),
    "hairdryer": ("吹風機", "헤어드라이어"),
    "ocean-view": ("海景", "오션뷰"),
    "city-view": ("市景", "시티뷰"),
    "floor-heating": ("地暖", "바닥 난방"),
}

LANGUAGES = ("zh_hant", "ko")


def columns(texts: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Return {field_zh_hant: text, field_ko: text} for `texts`."""
    values = {}
    for field, pair in texts.items():
        for language, text in zip(LANGUAGES, pair, strict=True):
            if text:
                values[f"{field}_{language}"] = text
    return values


def hotel_columns(name: str) -> dict[str, str]:
    return columns(HOTELS.get(name, {}))


def room_type_columns(code: str, size: int) -> dict[str, str]:
    texts = ROOM_TYPES.get(code, {})
    values = columns({"name": texts["name"]}) if "name" in texts else {}
    if "description" in texts:
        chinese, korean = texts["description"]
        values["description_zh_hant"] = f"{chinese}客房面積 {size} 平方公尺。"
        values["description_ko"] = f"{korean} 객실 면적 {size}m²."
    return values


def rate_plan_columns(code: str) -> dict[str, str]:
    return columns(RATE_PLANS.get(code, {}))


def policy_columns(name: str) -> dict[str, str]:
    return columns(POLICIES.get(name, {}))


def amenity_columns(code: str) -> dict[str, str]:
    pair = AMENITIES.get(code)
    return columns({"name": pair}) if pair else {}
