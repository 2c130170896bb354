"""The Sơn La demo catalogue: realistic kinds of products, producers and places.

Producer and product names are plausible but invented for the demo; places are real wards and
communes of Sơn La (two-level units since 1 July 2025, as listed by `vietnam-provinces`).
Certificate numbers built from this data always start with `DEMO-` (see OCOP.md): the shop must
never present an invented certificate as a real one.

Each product carries the OCOP facts later capabilities use (group, stars, score, GI slug), so the
catalogue, POS and checkout loaders all read one list.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# The six OCOP product groups (Decision 148/QĐ-TTg, 2023): code -> Vietnamese name.
GROUPS = {
    "food": "Thực phẩm",
    "beverage": "Đồ uống",
    "herbal": "Thảo dược",
    "craft": "Vải và may mặc, thủ công mỹ nghệ",
    "ornamental": "Sinh vật cảnh",
    "tourism": "Dịch vụ du lịch cộng đồng",
}

# Category tree: the six groups on top, the product kinds a shopper looks for beneath them.
CATEGORIES = {
    "food": ["Trái cây tươi", "Nông sản sấy khô", "Thịt gác bếp", "Mật ong", "Gạo và ngũ cốc"],
    "beverage": ["Cà phê", "Chè", "Rượu và nước ép"],
    "herbal": ["Dược liệu", "Tinh dầu"],
    "craft": ["Thổ cẩm", "Đồ mây tre"],
    "ornamental": ["Lan rừng"],
    "tourism": ["Trải nghiệm bản làng"],
}


@dataclass(frozen=True)
class Producer:
    key: str
    name: str
    kind: str  # cooperative | enterprise | coop_group | household
    ward: str  # exact ward/commune name in vietnam-provinces
    street: str
    phone: str
    story: str


@dataclass(frozen=True)
class Item:
    code: str  # stable demo SKU, also the idempotency key
    title: str
    group: str
    category: str
    producer: str
    price: int  # whole đồng
    stock: int
    weight_g: int
    description: str
    stars: int | None = None  # OCOP class, None for a product not yet rated
    score: int | None = None
    gi: str | None = None  # GI slug when the producer is a licensed user
    potential_five: bool = False
    season: tuple[int, ...] = field(default_factory=tuple)  # months it is harvested


PRODUCERS = [
    Producer("chieng-mai-coffee", "HTX Cà phê Chiềng Mai", "cooperative", "Xã Chiềng Mai",
             "Bản Hát Sét", "0212 3851 201",
             "Hơn 80 hộ thành viên trồng cà phê Arabica dưới tán cây che bóng trên độ cao 700 m, "
             "thu hái quả chín đỏ bằng tay và chế biến ướt ngay tại bản."),
    Producer("thuan-chau-farm", "HTX Nông nghiệp Thuận Châu", "cooperative", "Xã Thuận Châu",
             "Tiểu khu 3", "0212 3847 115",
             "Liên kết 120 hộ đồng bào Thái trồng cà phê, nuôi ong và chế biến nông sản theo "
             "hướng hữu cơ."),
    Producer("moc-chau-tea", "Công ty TNHH Chè Mộc Châu Xanh", "enterprise", "Phường Mộc Châu",
             "Tiểu khu 19/5", "0212 3866 502",
             "Doanh nghiệp chế biến chè xanh, chè Ô long từ vùng nguyên liệu Shan tuyết cổ thụ trên "
             "cao nguyên Mộc Châu."),
    Producer("ta-xua-tea", "HTX Chè Shan tuyết Tà Xùa", "cooperative", "Xã Tà Xùa",
             "Bản Bẹ", "0212 3863 330",
             "Người Mông ở Tà Xùa hái búp chè Shan tuyết trên những cây chè hàng trăm năm tuổi giữa "
             "biển mây, sao tay trên chảo gang."),
    Producer("yen-chau-mango", "HTX Xoài tròn Yên Châu", "cooperative", "Xã Yên Châu",
             "Bản Đán", "0212 3840 288",
             "Giữ giống xoài tròn bản địa: quả nhỏ, vỏ xanh khi chín, thịt vàng, thơm đậm và ngọt sắc."),
    Producer("phu-yen-orange", "HTX Cam Phù Yên", "cooperative", "Xã Phù Yên",
             "Bản Mường Thải", "0212 3868 147",
             "Vườn cam trên đất bãi ven sông Đà, chăm sóc theo VietGAP, thu hoạch từ tháng 11 đến Tết."),
    Producer("song-ma-longan", "Hộ kinh doanh Lò Thị Xuân", "household", "Xã Sông Mã",
             "Bản Nà Hin", "0986 114 725",
             "Gia đình ba thế hệ sấy nhãn trên lò củi truyền thống bên dòng sông Mã."),
    Producer("tay-bac-foods", "Công ty CP Thực phẩm Tây Bắc", "enterprise", "Phường Tô Hiệu",
             "Số 12 đường Tô Hiệu", "0212 3855 660",
             "Chế biến thịt trâu gác bếp và lạp xưởng theo công thức của người Thái Đen, đóng gói "
             "hút chân không."),
    Producer("sop-cop-honey", "Tổ hợp tác Mật ong Sốp Cộp", "coop_group", "Xã Sốp Cộp",
             "Bản Huổi Khương", "0975 331 408",
             "Mười hai hộ nuôi ong nội trong rừng đầu nguồn, quay mật một lần mỗi mùa hoa."),
    Producer("chieng-khoong-brocade", "HTX Dệt thổ cẩm Chiềng Khoong", "cooperative",
             "Xã Chiềng Khoong", "Bản Hải Sơn", "0912 605 318",
             "Phụ nữ Thái dệt thổ cẩm trên khung gỗ, nhuộm màu từ chàm, vỏ cây và củ nâu."),
    Producer("bac-yen-herbs", "HTX Dược liệu Bắc Yên", "cooperative", "Xã Bắc Yên",
             "Bản Phiêng Ban", "0212 3869 209",
             "Trồng và sơ chế dược liệu dưới tán rừng theo GACP: giảo cổ lam, sâm dây, đương quy."),
    Producer("muong-la-orchid", "Hộ kinh doanh Quàng Văn Hoan", "household", "Xã Mường La",
             "Bản Đán Đăm", "0968 223 951",
             "Nhân giống lan rừng bản địa từ hạt, không khai thác cây rừng tự nhiên."),
    Producer("van-ho-tourism", "HTX Du lịch cộng đồng Vân Hồ", "cooperative", "Xã Vân Hồ",
             "Bản Hua Tạt", "0915 770 126",
             "Mười tám nhà sàn đón khách lưu trú, ẩm thực Mông – Thái và trải nghiệm làm nông."),
    Producer("na-ka-plum", "HTX Mận hậu Nà Ka", "cooperative", "Phường Mộc Sơn",
             "Tiểu khu Nà Ka", "0212 3866 914",
             "Mận hậu Mộc Châu chín tháng 5–6 được làm ô mai, rượu và mứt để bán quanh năm."),
]

ITEMS = [
    # --- Đồ uống: cà phê (GI Cà phê Sơn La) ---
    Item("CF-001", "Cà phê Arabica Sơn La rang xay nguyên chất 500g", "beverage", "Cà phê",
         "chieng-mai-coffee", 185000, 120, 520,
         "Arabica Catimor trồng trên 700 m, chế biến ướt, rang mộc vừa. Hương trái cây chín, "
         "hậu vị ngọt, độ chua thanh.", 5, 91, "ca-phe-son-la"),
    Item("CF-002", "Cà phê Arabica Sơn La hạt rang 250g", "beverage", "Cà phê", "chieng-mai-coffee",
         98000, 80, 260, "Hạt rang mộc để xay tại nhà, đóng túi van một chiều giữ hương.",
         4, 82, "ca-phe-son-la", True),
    Item("CF-003", "Cà phê Honey Chiềng Mai 250g", "beverage", "Cà phê", "chieng-mai-coffee",
         135000, 40, 260, "Sơ chế mật ong (honey process): phơi cả lớp nhớt quả, vị ngọt như mật mía.",
         4, 78, "ca-phe-son-la"),
    Item("CF-004", "Cà phê phin giấy Arabica hộp 10 gói", "beverage", "Cà phê", "thuan-chau-farm",
         89000, 150, 150, "Pha tiện lợi ở văn phòng, mỗi gói 12 g cà phê xay vừa.", 3, 66,
         "ca-phe-son-la"),
    Item("CF-005", "Cà phê Robusta – Arabica phối trộn 500g", "beverage", "Cà phê", "thuan-chau-farm",
         120000, 90, 520, "Đậm, nhiều crema, hợp pha phin sữa đá kiểu Việt.", 3, 61),
    # --- Đồ uống: chè ---
    Item("TE-001", "Chè Shan tuyết Mộc Châu đặc biệt 200g", "beverage", "Chè", "moc-chau-tea",
         240000, 70, 220, "Một tôm hai lá từ cây chè Shan tuyết cổ thụ, nước vàng sáng, vị chát dịu, "
         "hậu ngọt sâu.", 4, 85, "che-shan-tuyet-moc-chau"),
    Item("TE-002", "Chè Ô long Mộc Châu 250g", "beverage", "Chè", "moc-chau-tea", 320000, 60, 270,
         "Lên men nhẹ, vo viên, hương hoa lan; pha được năm sáu nước.", 4, 80),
    Item("TE-003", "Chè xanh Mộc Châu túi lọc hộp 25 gói", "beverage", "Chè", "moc-chau-tea",
         65000, 200, 120, "Chè xanh sấy lạnh trong túi lọc, pha nhanh, giữ màu xanh cốm.", 3, 64),
    Item("TE-004", "Chè Shan tuyết Tà Xùa hộp gỗ 100g", "beverage", "Chè", "ta-xua-tea", 380000, 35,
         300, "Búp chè phủ tuyết trắng hái ở độ cao 2.000 m, sao tay. Nhãn hiệu tập thể Chè Tà Xùa.",
         4, 84),
    Item("TE-005", "Hồng trà Tà Xùa 200g", "beverage", "Chè", "ta-xua-tea", 210000, 45, 220,
         "Chè đen lên men toàn phần từ búp Shan tuyết, vị mật ong, nước đỏ hổ phách.", 3, 68),
    # --- Đồ uống: rượu, nước ép ---
    Item("DR-001", "Rượu mận hậu Mộc Châu 500ml", "beverage", "Rượu và nước ép", "na-ka-plum",
         150000, 50, 900, "Ngâm từ mận hậu chín cây, 29 độ, màu đỏ hồng tự nhiên.", 3, 62),
    Item("DR-002", "Nước cốt cam Phù Yên 1 lít", "beverage", "Rượu và nước ép", "phu-yen-orange",
         95000, 40, 1100, "Ép lạnh từ cam sành chín, không đường, không chất bảo quản; giữ lạnh 7 ngày.",
         3, 58),
    Item("DR-003", "Rượu ngô men lá Bắc Yên 500ml", "beverage", "Rượu và nước ép", "bac-yen-herbs",
         120000, 30, 900, "Chưng cất từ ngô nếp nương với men lá rừng của người Mông.", 3, 60),
    # --- Thực phẩm: trái cây tươi (theo mùa) ---
    Item("FR-001", "Xoài tròn Yên Châu hộp 2kg", "food", "Trái cây tươi", "yen-chau-mango", 160000,
         60, 2100, "Xoài tròn chín cây, hái tuyển quả 200–250 g, giao trong 48 giờ.", 4, 76,
         "xoai-tron-yen-chau", season=(5, 6, 7)),
    Item("FR-002", "Xoài tròn Yên Châu thùng 5kg", "food", "Trái cây tươi", "yen-chau-mango",
         360000, 30, 5200, "Thùng carton có lỗ thoáng, phù hợp biếu tặng và gia đình đông người.",
         4, 76, "xoai-tron-yen-chau", season=(5, 6, 7)),
    Item("FR-003", "Cam Phù Yên túi 3kg", "food", "Trái cây tươi", "phu-yen-orange", 120000, 80,
         3100, "Cam vỏ mỏng, mọng nước, vị ngọt đậm chua nhẹ, thu hoạch vụ Đông.", 4, 74,
         "cam-phu-yen", season=(11, 12, 1)),
    Item("FR-004", "Mận hậu Mộc Châu thùng 3kg", "food", "Trái cây tươi", "na-ka-plum", 105000, 70,
         3100, "Mận hậu giòn, chua ngọt, hái đầu mùa tháng 5.", 3, 65, season=(5, 6)),
    Item("FR-005", "Bơ sáp Mai Sơn thùng 3kg", "food", "Trái cây tươi", "thuan-chau-farm", 135000,
         50, 3100, "Bơ sáp dẻo, béo, hạt nhỏ; chín sau 3–4 ngày.", 3, 59, season=(7, 8, 9)),
    # --- Thực phẩm: sấy khô ---
    Item("DF-001", "Nhãn sấy Sông Mã 500g", "food", "Nông sản sấy khô", "song-ma-longan", 110000,
         100, 520, "Nhãn cùi dày sấy củi, dẻo, ngọt thanh, không đường.", 3, 67),
    Item("DF-002", "Long nhãn Sông Mã 500g", "food", "Nông sản sấy khô", "song-ma-longan", 180000,
         60, 520, "Cùi nhãn tách hạt sấy khô, dùng nấu chè và hầm.", 3, 63),
    Item("DF-003", "Xoài sấy dẻo Yên Châu 250g", "food", "Nông sản sấy khô", "yen-chau-mango",
         75000, 120, 270, "Xoài tròn sấy lạnh, giữ vị chua ngọt tự nhiên.", 3, 60),
    Item("DF-004", "Ô mai mận hậu Mộc Châu 300g", "food", "Nông sản sấy khô", "na-ka-plum", 70000,
         150, 320, "Mận hậu ngâm đường phèn, gừng và cam thảo, phơi nắng.", 3, 66),
    Item("DF-005", "Măng sặt khô Vân Hồ 300g", "food", "Nông sản sấy khô", "van-ho-tourism", 90000,
         80, 320, "Măng rừng sặt luộc, phơi gác bếp; ngâm mềm trước khi nấu.", None, None),
    # --- Thực phẩm: thịt gác bếp ---
    Item("MT-001", "Thịt trâu gác bếp Tây Bắc 500g", "food", "Thịt gác bếp", "tay-bac-foods",
         480000, 60, 520, "Thịt trâu ướp mắc khén, hạt dổi, hun khói củi nghiến; xé sợi chấm chẩm chéo.",
         4, 81),
    Item("MT-002", "Lạp xưởng hun khói Sơn La 500g", "food", "Thịt gác bếp", "tay-bac-foods",
         210000, 80, 520, "Thịt lợn bản, rượu ngô, mắc khén, hun khói bảy ngày.", 3, 69),
    Item("MT-003", "Thịt lợn gác bếp 300g", "food", "Thịt gác bếp", "tay-bac-foods", 260000, 50,
         320, "Thịt lợn mán thái dải, ướp gia vị Thái, hun khói truyền thống.", 3, 64),
    Item("MT-004", "Cá suối nướng khô Mường La 200g", "food", "Thịt gác bếp", "muong-la-orchid",
         150000, 25, 220, "Cá suối kẹp tre nướng than, sấy khô, rắc muối ớt.", None, None),
    # --- Thực phẩm: mật ong, gạo ---
    Item("HN-001", "Mật ong hoa rừng Sốp Cộp 500ml", "food", "Mật ong", "sop-cop-honey", 250000,
         70, 720, "Mật ong nội quay mùa xuân, độ ẩm dưới 20%.", 4, 72),
    Item("HN-002", "Mật ong hoa cà phê Thuận Châu 500ml", "food", "Mật ong", "thuan-chau-farm",
         190000, 60, 720, "Mật từ mùa hoa cà phê tháng 2, màu nhạt, thơm nhẹ.", 3, 65),
    Item("HN-003", "Mật ong bạc hà Sốp Cộp 250ml", "food", "Mật ong", "sop-cop-honey", 160000, 40,
         380, "Mật hoa bạc hà dại, vị the mát, kết tinh mịn khi trời lạnh.", 3, 67),
    Item("RC-001", "Gạo nếp Tan Mường Lầm 2kg", "food", "Gạo và ngũ cốc", "song-ma-longan", 80000,
         90, 2050, "Nếp nương dẻo thơm, nấu xôi ngũ sắc ngày hội.", 3, 55),
    Item("RC-002", "Gạo Séng Cù Mường La 5kg", "food", "Gạo và ngũ cốc", "muong-la-orchid", 150000,
         70, 5100, "Hạt dài, trắng trong, cơm dẻo thơm.", 3, 57),
    # --- Thảo dược ---
    Item("HB-001", "Trà giảo cổ lam Bắc Yên 200g", "herbal", "Dược liệu", "bac-yen-herbs", 120000,
         90, 220, "Giảo cổ lam 5 lá trồng dưới tán rừng, sấy khô; uống thay trà hằng ngày.", 4, 73),
    Item("HB-002", "Sâm dây Bắc Yên sấy khô 300g", "herbal", "Dược liệu", "bac-yen-herbs", 280000, 40,
         320, "Rễ đảng sâm Bắc Yên, thái lát, dùng hầm gà, ngâm rượu.", 3, 66),
    Item("HB-003", "Cao đương quy Tà Xùa 100g", "herbal", "Dược liệu", "ta-xua-tea", 220000, 30,
         150, "Cô đặc từ rễ đương quy trồng trên núi cao.", 3, 59),
    Item("HB-004", "Tinh dầu sả chanh Mai Sơn 50ml", "herbal", "Tinh dầu", "thuan-chau-farm", 85000,
         100, 80, "Chưng cất hơi nước từ sả chanh trồng xen cà phê.", 3, 62),
    Item("HB-005", "Tinh dầu quế Sơn La 30ml", "herbal", "Tinh dầu", "bac-yen-herbs", 95000, 60, 60,
         "Chưng cất từ vỏ và lá quế, đuổi muỗi, xông phòng.", None, None),
    # --- Thủ công: thổ cẩm, mây tre ---
    Item("CR-001", "Khăn piêu thổ cẩm Thái", "craft", "Thổ cẩm", "chieng-khoong-brocade", 350000, 25,
         200, "Khăn piêu thêu tay hoa văn cút piêu, dệt trong 12 ngày.", 4, 77),
    Item("CR-002", "Túi thổ cẩm đeo chéo", "craft", "Thổ cẩm", "chieng-khoong-brocade", 280000, 30,
         300, "Vải thổ cẩm nhuộm chàm, lót vải bông, khóa kéo YKK.", 3, 68),
    Item("CR-003", "Khăn trải bàn thổ cẩm 1,2 m", "craft", "Thổ cẩm", "chieng-khoong-brocade",
         420000, 15, 450, "Dệt tay, hoa văn trám và sao tám cánh.", 3, 63),
    Item("CR-004", "Giỏ mây đan Mường La", "craft", "Đồ mây tre", "muong-la-orchid", 160000, 40, 500,
         "Mây rừng đan tay, dùng đựng hoa quả hoặc làm quà.", 3, 56),
    Item("CR-005", "Ép (hộp xôi) mây tre Thái", "craft", "Đồ mây tre", "chieng-khoong-brocade",
         120000, 35, 350, "Hộp đựng xôi truyền thống của người Thái, đan nan tre hai lớp.", None, None),
    # --- Sinh vật cảnh ---
    Item("OR-001", "Lan hài Mường La chậu nhỏ", "ornamental", "Lan rừng", "muong-la-orchid", 450000,
         12, 1500, "Lan hài nhân giống từ hạt trong nhà lưới, chậu 12 cm, đã ra nụ.", 3, 61),
    Item("OR-002", "Lan kiếm Sơn La chậu gốm", "ornamental", "Lan rừng", "muong-la-orchid", 650000,
         8, 2500, "Lan kiếm ra hoa dịp Tết, chậu gốm men lam.", None, None),
    # --- Du lịch cộng đồng ---
    Item("TR-001", "Một đêm homestay nhà sàn Vân Hồ (2 khách)", "tourism", "Trải nghiệm bản làng",
         "van-ho-tourism", 600000, 10, 0, "Nhà sàn gỗ, bữa tối ẩm thực Mông – Thái, đốt lửa trại và "
         "múa xòe.", 3, 64),
    Item("TR-002", "Tour hái chè và sao chè Tà Xùa nửa ngày", "tourism", "Trải nghiệm bản làng",
         "ta-xua-tea", 350000, 20, 0, "Theo người Mông lên đồi chè cổ thụ, tự hái và sao một mẻ chè.",
         3, 60),
    Item("TR-003", "Trải nghiệm thu hái cà phê Chiềng Mai", "tourism", "Trải nghiệm bản làng",
         "chieng-mai-coffee", 250000, 20, 0, "Hái quả chín, xát tươi, phơi và thử cà phê tại vườn "
         "(mùa vụ tháng 10–1).", None, None, season=(10, 11, 12, 1)),
]


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    role: str
    producer: str | None = None
    first_name: str = ""
    last_name: str = ""


# Demo accounts: printed by `make run`. Passwords are public on purpose: demo data only.
ACCOUNTS = [
    Account("admin@ocop.demo", "ocop-admin-2026", "office", first_name="Cán bộ", last_name="Văn phòng OCOP"),
    Account("vanphong@ocop.demo", "ocop-office-2026", "office-staff", first_name="Chuyên viên",
            last_name="Văn phòng OCOP"),
    Account("htx.chiengmai@ocop.demo", "ocop-producer-2026", "producer", "chieng-mai-coffee",
            "Lò Văn", "Minh"),
    Account("mocchau.tea@ocop.demo", "ocop-producer-2026", "producer", "moc-chau-tea",
            "Hà Thị", "Lan"),
    Account("khach@ocop.demo", "ocop-customer-2026", "customer", first_name="Nguyễn Thu", last_name="Hà"),
]


@dataclass(frozen=True)
class GI:
    slug: str
    name: str
    registration_number: str
    registered_on: str  # ISO date; OCOP.md gives the year, day and month are approximate
    managing_body: str
    product_kind: str
    area: tuple[str, ...]  # ward/commune names as in vietnam-provinces
    licensees: tuple[str, ...]  # producer keys holding a usage licence
    description: str = ""


# The GIs of Sơn La (OCOP.md). Only Cà phê Sơn La's number (00056) is given there; the others are
# marked DEMO- so the shop never shows an invented registration number as a real one.
# "Chè Tà Xùa" is a collective trademark, not a GI: it is deliberately absent.
GIS = [
    GI("ca-phe-son-la", "Cà phê Sơn La", "00056", "2017-06-01", "Sở Khoa học và Công nghệ tỉnh Sơn La",
       "Cà phê chè (Arabica) nhân và rang",
       ("Xã Chiềng Mai", "Xã Thuận Châu", "Xã Mường Bú", "Phường Chiềng Cơi", "Xã Mai Sơn"),
       ("chieng-mai-coffee", "thuan-chau-farm"),
       "Cà phê chè Arabica trồng ở độ cao trên 600 m; xuất khẩu tới khoảng 20 quốc gia."),
    GI("che-shan-tuyet-moc-chau", "Chè Shan tuyết Mộc Châu", "DEMO-GI-2010", "2010-06-01",
       "Sở Khoa học và Công nghệ tỉnh Sơn La", "Chè xanh Shan tuyết",
       ("Phường Mộc Châu", "Phường Mộc Sơn", "Phường Thảo Nguyên", "Xã Vân Hồ"), ("moc-chau-tea",),
       "Chè xanh chế biến từ giống Shan tuyết trên cao nguyên Mộc Châu."),
    GI("xoai-tron-yen-chau", "Xoài tròn Yên Châu", "DEMO-GI-2012", "2012-06-01",
       "Sở Khoa học và Công nghệ tỉnh Sơn La", "Xoài quả tươi",
       ("Xã Yên Châu", "Xã Chiềng Hặc", "Xã Lóng Phiêng"), ("yen-chau-mango",),
       "Xoài tròn bản địa quả nhỏ, vỏ xanh khi chín, thơm đậm."),
    GI("cam-phu-yen", "Cam Phù Yên", "DEMO-GI-2017", "2017-06-01", "Sở Khoa học và Công nghệ tỉnh Sơn La",
       "Cam quả tươi", ("Xã Phù Yên", "Xã Gia Phù", "Xã Tường Hạ"), ("phu-yen-orange",),
       "Cam trồng trên đất bãi ven sông Đà."),
]

# Certificate history the demo shows: (code, stars, score, issued ISO date) of an older
# certificate kept on record, and products whose only certificate has lapsed or was revoked.
CERTIFICATE_HISTORY = [("TE-001", 3, 68, "2021-04-15"), ("CF-002", 3, 67, "2021-09-20")]
LAPSED = {"RC-001": "2022-05-10"}  # expired: the badge is gone, the panel says so
REVOKED = {"DR-003": "Nhãn mác không đúng hồ sơ đã đánh giá (dữ liệu demo)."}
