/**
 * What each demo stall sells: 4–5 listings per stall, written the way the
 * farmers would write them, priced in whole đồng from the domain notes
 * (docs: vietnam-domain §4–§5), with photos drawn by ./product-art and stored
 * through the same pipeline as an upload (createListing → app/media).
 *
 * Dates follow the calendar rather than being fixed: harvest windows are the
 * coming season (lychee in June, carrots from January, rươi in the 9th–10th
 * lunar months…), certificates were issued some months ago, so the demo looks
 * the same whenever it is seeded. `today` is a parameter for tests.
 *
 * Idempotent: a listing is keyed by its stall and its slug (the slug of its
 * title), and photos are content-addressed, so seeding again adds nothing.
 */
import os from "node:os";
import { and, eq, inArray } from "drizzle-orm";
import { createListing, setListingStatus } from "../../app/listings/listings.server";
import type { CategoryCode, UnitCode } from "../../app/listings/catalog";
import { todayInVietnam } from "../../app/listings/dates";
import type { CertificationInput, ListingInput } from "../../app/listings/schemas";
import { slugify } from "../../app/listings/slug";
import { logger } from "../../app/utils/logger.server";
import type { Database } from "../client";
import { households, listingPhotos, listings, stalls } from "../schema";
import { ART_ALT, renderProductArt, type ArtKind } from "./product-art";

// ------------------------------------------------------------------ calendar

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const parse = (s: string) => new Date(`${s}T00:00:00Z`);

function addDays(date: string, days: number): string {
  const d = parse(date);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

/** Whole months later (or earlier), on the 1st: certificates are dated by the month here. */
function monthStart(date: string, months: number): string {
  const d = parse(date);
  return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)));
}

export interface Season {
  from: string;
  until: string;
}

/** The season (mm-dd … mm-dd) that is on now or comes next. */
function season(today: string, from: string, until: string): Season {
  const year = Number(today.slice(0, 4));
  const y = `${year}-${until}` >= today ? year : year + 1;
  return { from: `${y}-${from}`, until: `${y}-${until}` };
}

/** The next season that has not started yet: what a pre-order is for. */
function nextSeason(today: string, from: string, until: string): Season {
  const year = Number(today.slice(0, 4));
  const y = `${year}-${from}` > today ? year : year + 1;
  return { from: `${y}-${from}`, until: `${y}-${until}` };
}

/** Tết Nguyên Đán (lunar new year's day), by solar year. */
const TET: Record<number, string> = {
  2025: "2025-01-29",
  2026: "2026-02-17",
  2027: "2027-02-06",
  2028: "2028-01-26",
  2029: "2029-02-13",
  2030: "2030-02-03",
  2031: "2031-01-23",
  2032: "2032-02-11",
};

/** The Tết gift season: from a month before the coming Tết until 28 tháng Chạp. */
function tetSeason(today: string): Season {
  const year = Number(today.slice(0, 4));
  const tet = [year, year + 1].map((y) => TET[y] ?? `${y}-02-01`).find((d) => addDays(d, -2) >= today)!;
  return { from: addDays(tet, -30), until: addDays(tet, -2) };
}

// ------------------------------------------------------------------ the listings

interface DemoPhoto {
  kind: ArtKind;
  /** The same kind and seed anywhere is the same picture (one stored photo). */
  seed: string;
}

export interface DemoListing {
  title: string;
  description: string;
  category: CategoryCode;
  unit: UnitCode;
  priceDong: number;
  minOrderQty?: number;
  madeToOrder?: boolean;
  stockQty?: number;
  window?: Season;
  /** Pre-orders for the coming harvest (`window`), up to this many units. */
  preorderCapacity?: number;
  certifications?: CertificationInput[];
  status: "active" | "paused" | "draft";
  photos: DemoPhoto[];
}

const CERTIFIERS = {
  north: "Trung tâm Chứng nhận Chất lượng Nông sản miền Bắc",
  coop: "Tổ chức Chứng nhận VietGAP Đồng bằng sông Hồng",
};

/** VietGAP for crops, issued a few months ago, valid three years. */
function vietgap(today: string, serial: string, monthsAgo = 8): CertificationInput {
  const validFrom = monthStart(today, -monthsAgo);
  return {
    type: "vietgap",
    number: `VietGAP-TT-${validFrom.slice(2, 4)}-${validFrom.slice(5, 7)}-31-${serial}`,
    issuer: CERTIFIERS.north,
    ocopStars: null,
    validFrom,
    validUntil: addDays(monthStart(validFrom, 36), -1),
  };
}

/** A VietGAP certificate that ran out some months ago (the product page must not show it). */
function expiredVietgap(today: string, serial: string): CertificationInput {
  const validUntil = addDays(monthStart(today, -7), -1);
  const validFrom = monthStart(validUntil, -23);
  return {
    type: "vietgap",
    number: `VietGAP-TT-${validFrom.slice(2, 4)}-${validFrom.slice(5, 7)}-30-${serial}`,
    issuer: CERTIFIERS.coop,
    ocopStars: null,
    validFrom,
    validUntil,
  };
}

/** OCOP 4★: rated by the city's People's Committee, valid 36 months. */
function ocop4(today: string, decision: string): CertificationInput {
  const validFrom = monthStart(today, -14);
  return {
    type: "ocop",
    number: decision,
    issuer: "UBND thành phố Hải Phòng",
    ocopStars: 4,
    validFrom,
    validUntil: addDays(monthStart(validFrom, 36), -1),
  };
}

/** Stall slug → its listings, in stall-page order. */
export function demoListings(today: string): Record<string, DemoListing[]> {
  const lychee = season(today, "06-05", "07-05");
  const earlyLychee = season(today, "05-15", "06-10");
  const carrots = season(today, "01-05", "03-31");
  const freshShallots = season(today, "01-10", "02-28");
  // Rươi swarm in the 9th and 10th lunar months: roughly mid-September to early December.
  const ruoiNow = season(today, "09-15", "12-10");
  const ruoiNext = nextSeason(today, "09-15", "12-10");
  const newRice = season(today, "10-20", "12-31");
  const redGuava = nextSeason(today, "07-01", "09-30");
  const tet = tetSeason(today);

  return {
    "vai-thieu-bac-thinh": [
      {
        title: "Vải thiều Thanh Hà loại 1",
        description:
          "Vải thiều chính gốc Thanh Hà, quả to đều, vỏ đỏ tươi, cùi dày, hạt lép, ngọt đậm. Vườn nhà trồng theo quy trình VietGAP, không dùng thuốc kích chín.\n" +
          "Vải hái sáng nào đóng thùng giao sáng ấy; đơn đặt trước được giao lần lượt theo ngày chín, từ đầu tháng 6. Đặt tối thiểu 2 kg. Giao nội thành Hải Phòng, Hà Nội; gửi xe khách đi các tỉnh.",
        category: "trai-cay",
        unit: "kg",
        priceDong: 45_000,
        minOrderQty: 2,
        window: lychee,
        preorderCapacity: 1_500,
        certifications: [vietgap(today, "0087")],
        status: "active",
        photos: [
          { kind: "lychee", seed: "thinh" },
          { kind: "lychee-box", seed: "thinh" },
        ],
      },
      {
        title: "Vải thiều hộp quà 5 kg",
        description:
          "Thùng các-tông 5 kg lót lá vải, có túi đá gel giữ lạnh, chọn toàn quả loại 1 đều màu, cắt cành gọn. Hợp làm quà biếu.\n" +
          "Nhận viết thiệp theo yêu cầu, báo trước 2 ngày.",
        category: "trai-cay",
        unit: "thung",
        priceDong: 260_000,
        window: lychee,
        preorderCapacity: 300,
        certifications: [vietgap(today, "0087")],
        status: "active",
        photos: [
          { kind: "lychee-box", seed: "thinh" },
          { kind: "lychee", seed: "thinh" },
        ],
      },
      {
        title: "Vải thiều sấy khô",
        description:
          "Vải sấy lò than củi theo cách truyền thống của Thanh Hà, sấy liền ba ngày ba đêm nên cùi khô mà dẻo, màu nâu cánh gián, ngọt thanh.\n" +
          "Đóng túi zip 1 kg, để nơi khô ráo dùng được 6 tháng.",
        category: "mat-ong-do-kho",
        unit: "kg",
        priceDong: 160_000,
        stockQty: 85,
        status: "active",
        photos: [{ kind: "lychee-dried", seed: "thinh" }],
      },
      {
        title: "Vải thiều thùng 10 kg (bán buôn)",
        description:
          "Bán buôn cho cửa hàng, đại lý: thùng 10 kg vải loại 1 và loại 2 theo tỉ lệ thỏa thuận, lấy từ 5 thùng.\n" +
          "Đã nhận đủ đơn buôn cho vụ tới nên tạm dừng nhận thêm.",
        category: "trai-cay",
        unit: "thung",
        priceDong: 420_000,
        minOrderQty: 5,
        window: lychee,
        preorderCapacity: 120,
        status: "paused",
        photos: [{ kind: "lychee-box", seed: "thinh" }],
      },
      {
        title: "Cây giống vải thiều ghép",
        description:
          "Cây ghép từ cành vải thiều Thanh Hà chọn lọc, cao 50–60 cm, có bầu đất. Trồng tháng 2–3 hoặc tháng 8–9.",
        category: "cay-giong",
        unit: "cay",
        priceDong: 35_000,
        stockQty: 300,
        status: "draft",
        photos: [],
      },
    ],

    "ca-rot-cam-giang-chi-hang": [
      {
        title: "Cà rốt Cẩm Giàng loại 1",
        description:
          "Cà rốt Đức Chính, Cẩm Giàng: ruột đỏ, củ thẳng dài 18–22 cm, giòn ngọt, ép nước rất đẹp màu. Nhổ tại ruộng từ đầu tháng 1, rửa sạch đất trước khi đóng bao.\n" +
          "Đặt tối thiểu 5 kg. Nhận đặt trước từ bây giờ, giao theo thứ tự đặt.",
        category: "cu-qua",
        unit: "kg",
        priceDong: 12_000,
        minOrderQty: 5,
        window: carrots,
        preorderCapacity: 8_000,
        status: "active",
        photos: [{ kind: "carrot", seed: "hang" }],
      },
      {
        title: "Cà rốt bao 50 kg (bán buôn)",
        description:
          "Bao lưới 50 kg cà rốt loại 1–2 cho bếp ăn, nhà hàng và thương lái. Lấy từ 2 bao, giao xe tải tận nơi trong bán kính 50 km; xa hơn gửi xe ghép.",
        category: "cu-qua",
        unit: "bao",
        priceDong: 350_000,
        minOrderQty: 2,
        window: carrots,
        preorderCapacity: 300,
        status: "active",
        photos: [
          { kind: "carrot-heap", seed: "hang" },
          { kind: "carrot", seed: "hang" },
        ],
      },
      {
        title: "Củ cải trắng",
        description:
          "Củ cải trắng vụ đông trồng sau lúa mùa, củ to, mọng nước, không xơ. Nhổ buổi sáng, còn nguyên lá; hợp muối dưa, nấu canh xương.",
        category: "cu-qua",
        unit: "kg",
        priceDong: 8_000,
        stockQty: 450,
        status: "active",
        photos: [{ kind: "daikon", seed: "hang" }],
      },
      {
        title: "Cà rốt loại 2 ép nước",
        description:
          "Củ nhỏ, củ cong hoặc chẻ đôi nhưng vẫn ngọt và đỏ ruột, giá mềm cho quán nước ép và bữa cơm hằng ngày. Tạm ẩn, mở lại khi có hàng đầu vụ.",
        category: "cu-qua",
        unit: "kg",
        priceDong: 6_000,
        minOrderQty: 10,
        window: carrots,
        preorderCapacity: 3_000,
        status: "paused",
        photos: [{ kind: "carrot-heap", seed: "hang" }],
      },
    ],

    "hanh-toi-kinh-mon": [
      {
        title: "Hành khô Kinh Môn",
        description:
          "Hành củ Kinh Môn củ nhỏ, vỏ đỏ tía, tép chắc, thơm hăng đặc trưng. Phơi khô tự nhiên trên giàn tre, không sấy lưu huỳnh, để được 6–8 tháng.\n" +
          "Phi hành thơm lâu, không bị đắng.",
        category: "gia-vi",
        unit: "kg",
        priceDong: 40_000,
        stockQty: 650,
        certifications: [vietgap(today, "0213", 10)],
        status: "active",
        photos: [{ kind: "shallot", seed: "hung" }],
      },
      {
        title: "Tỏi ta Kinh Môn",
        description:
          "Tỏi ta củ nhỏ, vỏ tím, tép nhỏ mà chắc, cay nồng. Trồng vụ đông trên đất phù sa ven sông Kinh Thầy, thu hoạch tháng Giêng rồi phơi khô treo gác bếp.",
        category: "gia-vi",
        unit: "kg",
        priceDong: 60_000,
        stockQty: 380,
        status: "active",
        photos: [{ kind: "garlic", seed: "hung" }],
      },
      {
        title: "Bó hành khô treo bếp (1 kg)",
        description:
          "Hành khô tết thành bó bằng lạt tre như các cụ vẫn treo gác bếp, mỗi bó khoảng 1 kg. Treo chỗ thoáng dùng dần cả năm, làm quà cũng đẹp.",
        category: "gia-vi",
        unit: "bo",
        priceDong: 45_000,
        stockQty: 90,
        status: "active",
        photos: [{ kind: "shallot", seed: "hung-bo" }],
      },
      {
        title: "Tỏi ta bán theo yến",
        description:
          "Tỏi ta khô loại đều củ, bán theo yến (10 kg) cho quán ăn, cơ sở làm tương ớt, tỏi ngâm. Giao tận nơi trong thành phố Hải Phòng.",
        category: "gia-vi",
        unit: "yen",
        priceDong: 550_000,
        stockQty: 30,
        status: "active",
        photos: [{ kind: "garlic", seed: "hung-yen" }],
      },
      {
        title: "Hành tươi vụ đông",
        description:
          "Hành củ tươi còn lá, nhổ tại ruộng tháng Giêng, tháng Hai. Giá theo giá ruộng lúc thu hoạch, sẽ cập nhật khi vào vụ.",
        category: "gia-vi",
        unit: "kg",
        priceDong: 12_000,
        window: freshShallots,
        preorderCapacity: 5_000,
        status: "draft",
        photos: [],
      },
    ],

    "banh-gai-ninh-giang-co-lan": [
      {
        title: "Bánh gai Ninh Giang (chục 10 chiếc)",
        description:
          "Bánh gai làm tay: lá gai giã nhuyễn trộn bột nếp cái hoa vàng, nhân đậu xanh, dừa, vừng, mỡ lợn, bí đao. Vỏ dẻo, đen bóng, rắc vừng trên mặt, gói lá chuối khô.\n" +
          "Hấp trong ngày; để ngoài được 3–4 ngày, ngăn mát tủ lạnh 7–10 ngày.",
        category: "dac-san-che-bien",
        unit: "chuc",
        priceDong: 90_000,
        stockQty: 50,
        certifications: [ocop4(today, "2154/QĐ-UBND")],
        status: "active",
        photos: [{ kind: "banh-gai", seed: "lan" }],
      },
      {
        title: "Bánh gai hộp quà 20 chiếc",
        description: "Hộp giấy kraft 20 chiếc, buộc dây cói, hợp làm quà đi xa. Làm theo đơn, đặt trước 1 ngày.",
        category: "dac-san-che-bien",
        unit: "hop",
        priceDong: 190_000,
        madeToOrder: true,
        certifications: [ocop4(today, "2154/QĐ-UBND")],
        status: "active",
        photos: [{ kind: "banh-gai", seed: "lan-hop" }],
      },
      {
        title: "Bánh gai cỗ cưới, lễ ăn hỏi",
        description:
          "Nhận làm bánh gai cho lễ ăn hỏi, cỗ cưới, giỗ chạp theo số lượng; có bánh xếp tháp cho mâm quả.\n" +
          "Đặt trước ít nhất 3 ngày, từ 10 chục trở lên.",
        category: "dac-san-che-bien",
        unit: "chuc",
        priceDong: 85_000,
        minOrderQty: 10,
        madeToOrder: true,
        status: "active",
        photos: [{ kind: "banh-gai", seed: "lan" }],
      },
      {
        title: "Bánh gai chay nhân đậu xanh",
        description:
          "Nhân đậu xanh, dừa, vừng, không mỡ lợn, dành cho khách ăn chay. Chỉ làm vào dịp rằm và mùng một nên ngày thường tạm ẩn.",
        category: "dac-san-che-bien",
        unit: "chuc",
        priceDong: 80_000,
        stockQty: 20,
        status: "paused",
        photos: [{ kind: "banh-gai", seed: "lan-hop" }],
      },
    ],

    "nep-cai-hoa-vang-nhi-chieu": [
      {
        title: "Gạo nếp cái hoa vàng túi 2 kg",
        description:
          "Nếp cái hoa vàng vụ mùa của hợp tác xã: hạt tròn mẩy, trắng đục, đồ xôi dẻo thơm, để nguội không cứng. Xay xát tại hợp tác xã, đóng túi hút chân không 2 kg.",
        category: "lua-gao",
        unit: "tui",
        priceDong: 90_000,
        stockQty: 600,
        certifications: [vietgap(today, "0042", 13)],
        status: "active",
        photos: [{ kind: "rice-bowl", seed: "nhi-chieu" }],
      },
      {
        title: "Gạo nếp cái hoa vàng túi 5 kg",
        description:
          "Túi 5 kg cho gia đình đồ xôi, gói bánh chưng, nấu rượu nếp. Cùng lô gạo với túi 2 kg, giá mềm hơn.",
        category: "lua-gao",
        unit: "tui",
        priceDong: 215_000,
        stockQty: 250,
        certifications: [vietgap(today, "0042", 13)],
        status: "active",
        photos: [
          { kind: "rice-sack", seed: "nhi-chieu" },
          { kind: "rice-bowl", seed: "nhi-chieu" },
        ],
      },
      {
        title: "Nếp cái hoa vàng mới vụ mùa",
        description:
          "Nếp mới gặt tháng 10, tháng 11, hạt còn thơm mùi lúa non; nấu xôi, gói bánh chưng Tết là đẹp nhất. Bán theo kg, lấy từ 2 kg.",
        category: "lua-gao",
        unit: "kg",
        priceDong: 45_000,
        minOrderQty: 2,
        stockQty: 4_000,
        window: newRice,
        status: "active",
        photos: [{ kind: "rice-bowl", seed: "nhi-chieu-moi" }],
      },
      {
        title: "Gạo nếp cái hoa vàng bao 25 kg",
        description:
          "Bao 25 kg cho cơ sở làm bánh, nấu rượu, quán xôi; có hóa đơn của hợp tác xã. Giao tận nơi trong thành phố Hải Phòng.",
        category: "lua-gao",
        unit: "bao",
        priceDong: 1_050_000,
        stockQty: 60,
        status: "active",
        photos: [{ kind: "rice-sack", seed: "nhi-chieu" }],
      },
    ],

    "trung-ga-ta-gia-loc": [
      {
        title: "Trứng gà ta (chục 10 quả)",
        description:
          "Trứng gà ta thả vườn, vỏ nâu hồng, lòng đỏ đậm màu, nhặt trong ngày. Gà ăn thóc, ngô và rau vườn, không dùng cám tăng trọng.",
        category: "gia-cam-trung",
        unit: "chuc",
        priceDong: 40_000,
        stockQty: 120,
        status: "active",
        photos: [{ kind: "eggs-basket", seed: "quang" }],
      },
      {
        title: "Trứng gà ta khay 30 quả",
        description:
          "Khay giấy 30 quả cho gia đình và quán ăn. Giao trong ngày ở Gia Lộc và nội thành; đặt từ 3 khay được giao tận nơi miễn phí.",
        category: "gia-cam-trung",
        unit: "khay",
        priceDong: 115_000,
        stockQty: 40,
        status: "active",
        photos: [
          { kind: "eggs-tray", seed: "quang" },
          { kind: "eggs-basket", seed: "quang" },
        ],
      },
      {
        title: "Trứng gà ta thùng 10 khay (bán buôn)",
        description:
          "Thùng 10 khay (300 quả) cho nhà hàng, bếp ăn, tiệm bánh. Nhận giao định kỳ 2–3 lần mỗi tuần theo hợp đồng.",
        category: "gia-cam-trung",
        unit: "thung",
        priceDong: 1_080_000,
        stockQty: 8,
        status: "active",
        photos: [{ kind: "eggs-tray", seed: "quang" }],
      },
      {
        title: "Trứng vịt (chục 10 quả)",
        description: "Trứng vịt nuôi thả ngoài ao, vỏ trắng xanh, quả to. Đàn vịt đang thay lông, đẻ ít nên tạm ẩn.",
        category: "gia-cam-trung",
        unit: "chuc",
        priceDong: 38_000,
        stockQty: 15,
        status: "paused",
        photos: [{ kind: "duck-eggs", seed: "quang" }],
      },
    ],

    "vuon-oi-chi-thu": [
      {
        title: "Ổi lê Thanh Hà",
        description:
          "Ổi lê quả to, vỏ xanh mỏng, ruột trắng, giòn ngọt, ít hạt. Quả được bọc túi từ khi còn non nên vỏ mịn, sạch. Hái theo đơn, giao trong ngày.",
        category: "trai-cay",
        unit: "kg",
        priceDong: 25_000,
        stockQty: 450,
        certifications: [expiredVietgap(today, "0131")],
        status: "active",
        photos: [{ kind: "guava", seed: "thu" }],
      },
      {
        title: "Ổi lê thùng 10 kg",
        description:
          "Thùng 10 kg quả đều cỡ 3–4 quả một cân, cho cửa hàng hoa quả và quán nước. Giao xe ghép đi Hà Nội và các tỉnh.",
        category: "trai-cay",
        unit: "thung",
        priceDong: 220_000,
        stockQty: 35,
        status: "active",
        photos: [
          { kind: "guava", seed: "thu-thung" },
          { kind: "guava", seed: "thu" },
        ],
      },
      {
        title: "Ổi lê hộp quà 3 kg",
        description:
          "Chọn những quả to đẹp nhất vườn, xếp hộp có lót giấy, hợp làm quà biếu. Làm theo đơn, đặt trước 1 ngày.",
        category: "trai-cay",
        unit: "hop",
        priceDong: 95_000,
        madeToOrder: true,
        status: "active",
        photos: [{ kind: "guava", seed: "thu-thung" }],
      },
      {
        title: "Ổi ruột đỏ",
        description:
          "Giống ổi ruột đỏ mới trồng thử 40 gốc: ruột hồng, thơm, hợp ép nước. Vụ quả bói dự kiến từ tháng 7, đang hoàn thiện thông tin.",
        category: "trai-cay",
        unit: "kg",
        priceDong: 35_000,
        window: redGuava,
        preorderCapacity: 600,
        status: "draft",
        photos: [{ kind: "guava-pink", seed: "thu" }],
      },
    ],

    "banh-dau-xanh-ba-mai": [
      {
        title: "Bánh đậu xanh hộp 250 g",
        description:
          "Bánh đậu xanh Hải Dương làm theo công thức gia đình ba đời: đậu xanh đãi vỏ, đường kính, mỡ lợn và chút tinh dầu hoa bưởi. Bánh mịn, tan ngay trong miệng, ăn với chén trà nóng là đúng điệu.\n" +
          "Hộp 250 g gồm 20 bánh nhỏ gói giấy bạc.",
        category: "dac-san-che-bien",
        unit: "hop",
        priceDong: 55_000,
        stockQty: 320,
        status: "active",
        photos: [{ kind: "banh-dau-xanh", seed: "mai" }],
      },
      {
        title: "Bánh đậu xanh ít đường hộp 250 g",
        description:
          "Bớt một nửa lượng đường mà vẫn béo bùi, hợp người lớn tuổi và người phải kiêng đường. Hạn dùng 3 tháng.",
        category: "dac-san-che-bien",
        unit: "hop",
        priceDong: 60_000,
        stockQty: 140,
        status: "active",
        photos: [{ kind: "banh-dau-xanh", seed: "mai-it-duong" }],
      },
      {
        title: "Hộp quà Tết bánh đậu xanh (6 hộp)",
        description:
          "Hộp quà giấy cứng màu đỏ gồm 6 hộp bánh 250 g, kèm túi xách. Nhận đặt trước cho Tết, giao từ một tháng trước Tết đến 28 tháng Chạp.",
        category: "dac-san-che-bien",
        unit: "hop",
        priceDong: 340_000,
        window: tet,
        preorderCapacity: 400,
        status: "active",
        photos: [{ kind: "banh-dau-xanh", seed: "mai" }],
      },
      {
        title: "Bánh đậu xanh in tên cho đám cưới, lễ hỏi",
        description: "In tên cô dâu chú rể hoặc tên công ty lên giấy gói và hộp. Đặt từ 50 hộp, làm trong 5–7 ngày.",
        category: "dac-san-che-bien",
        unit: "hop",
        priceDong: 65_000,
        minOrderQty: 50,
        madeToOrder: true,
        status: "active",
        photos: [{ kind: "banh-dau-xanh", seed: "mai-it-duong" }],
      },
    ],

    "vai-chin-som-chi-linh": [
      {
        title: "Vải U chín sớm Chí Linh",
        description:
          "Vải chín sớm trồng trên đồi Chí Linh, vào vụ từ giữa tháng 5, trước vải thiều Thanh Hà vài tuần. Quả đỏ tươi, vai còn chút xanh, ngọt đậm xen vị chua nhẹ, ăn đầu mùa rất mát.\n" +
          "Đặt tối thiểu 2 kg.",
        category: "trai-cay",
        unit: "kg",
        priceDong: 50_000,
        minOrderQty: 2,
        window: earlyLychee,
        preorderCapacity: 1_200,
        certifications: [vietgap(today, "0156", 6)],
        status: "active",
        photos: [{ kind: "lychee", seed: "dung" }],
      },
      {
        title: "Vải U thùng 10 kg",
        description: "Thùng 10 kg giao nguyên cành, lót lá, có đá gel. Giao trong ngày nội thành Hải Phòng và Hà Nội.",
        category: "trai-cay",
        unit: "thung",
        priceDong: 470_000,
        window: earlyLychee,
        preorderCapacity: 100,
        certifications: [vietgap(today, "0156", 6)],
        status: "active",
        photos: [
          { kind: "lychee-box", seed: "dung" },
          { kind: "lychee", seed: "dung" },
        ],
      },
      {
        title: "Mật ong hoa vải Chí Linh",
        description:
          "Mật ong của đàn ong nội đặt dưới tán vải mùa hoa tháng 2, tháng 3: màu vàng sáng, thơm mùi hoa vải, ngọt thanh. Chỉ quay mật khi ong đã vít nắp, không pha đường, không cô đặc.\n" +
          "Đóng chai thủy tinh 1 lít.",
        category: "mat-ong-do-kho",
        unit: "lit",
        priceDong: 300_000,
        stockQty: 45,
        status: "active",
        photos: [{ kind: "honey", seed: "dung" }],
      },
      {
        title: "Mật ong hoa rừng Côn Sơn",
        description:
          "Mật ong đàn ong nội thả trong rừng Côn Sơn – Kiếp Bạc, hũ thủy tinh 500 ml. Đang chờ kết quả kiểm nghiệm, chưa mở bán.",
        category: "mat-ong-do-kho",
        unit: "hu",
        priceDong: 220_000,
        stockQty: 15,
        status: "draft",
        photos: [],
      },
    ],

    "htx-rau-cu-cam-giang": [
      {
        title: "Bắp cải VietGAP",
        description:
          "Bắp cải cuộn chặt, lá xanh nhạt, giòn ngọt, trồng theo quy trình VietGAP của hợp tác xã. Cắt buổi sáng, giao trong ngày cho bếp ăn và nhà hàng. Lấy từ 3 kg.",
        category: "rau-la",
        unit: "kg",
        priceDong: 12_000,
        minOrderQty: 3,
        stockQty: 900,
        certifications: [vietgap(today, "0198", 11)],
        status: "active",
        photos: [{ kind: "cabbage", seed: "htx" }],
      },
      {
        title: "Su hào VietGAP",
        description:
          "Su hào củ tròn đều, 3–4 củ một cân, vỏ mỏng, ruột trắng giòn, không xơ. Nấu canh, xào, làm nộm đều ngon.",
        category: "cu-qua",
        unit: "kg",
        priceDong: 10_000,
        stockQty: 700,
        certifications: [vietgap(today, "0198", 11)],
        status: "active",
        photos: [{ kind: "kohlrabi", seed: "htx" }],
      },
      {
        title: "Cải bẹ (bó 500 g)",
        description:
          "Cải bẹ xanh lá to, bẹ trắng, hợp nấu canh cá, muối dưa. Bó 500 g, rửa sạch đất, giao còn tươi nguyên.",
        category: "rau-la",
        unit: "bo",
        priceDong: 8_000,
        stockQty: 350,
        certifications: [vietgap(today, "0198", 11)],
        status: "active",
        photos: [{ kind: "greens", seed: "htx" }],
      },
      {
        title: "Cà rốt VietGAP cho bếp ăn",
        description:
          "Cà rốt trồng theo VietGAP, sơ chế sạch đất, đóng bao 20 kg cho bếp ăn trường học, khu công nghiệp. Nhận hợp đồng theo tuần hoặc cả vụ, lấy từ 20 kg.",
        category: "cu-qua",
        unit: "kg",
        priceDong: 9_000,
        minOrderQty: 20,
        window: carrots,
        preorderCapacity: 10_000,
        certifications: [vietgap(today, "0198", 11)],
        status: "active",
        // The same Cẩm Giàng carrots as chị Hằng's, photographed once.
        photos: [{ kind: "carrot-heap", seed: "hang" }],
      },
      {
        title: "Rau củ giao bếp ăn theo tuần",
        description:
          "Thùng rau củ theo thực đơn tuần của bếp: bắp cải, su hào, cà rốt, cải bẹ… phối theo mùa, cân đủ theo đơn. Gửi thực đơn trước thứ Năm, giao sáng thứ Hai.",
        category: "rau-la",
        unit: "thung",
        priceDong: 450_000,
        madeToOrder: true,
        status: "active",
        photos: [
          { kind: "cabbage", seed: "htx" },
          { kind: "kohlrabi", seed: "htx" },
          { kind: "greens", seed: "htx" },
        ],
      },
    ],

    "cha-ruoi-tu-ky": [
      {
        title: "Chả rươi Tứ Kỳ (hộp 10 miếng)",
        description:
          "Chả làm từ rươi tươi vụ tháng 9, tháng 10 âm lịch, trộn trứng vịt, thịt nạc vai, vỏ quýt, thì là, rán vàng hai mặt. Hộp 10 miếng khoảng 600 g.\n" +
          "Giao trong ngày ở Hải Phòng, gửi lạnh đi Hà Nội.",
        category: "dac-san-che-bien",
        unit: "hop",
        priceDong: 280_000,
        stockQty: 45,
        window: ruoiNow,
        status: "active",
        photos: [{ kind: "cha-ruoi", seed: "khanh" }],
      },
      {
        title: "Chả rươi đông lạnh (hộp 500 g)",
        description:
          "Chả rươi sống đã nặn sẵn, cấp đông ngay trong ngày nên bán được cả năm. Rã đông ngăn mát rồi rán lửa vừa. Bảo quản ngăn đá 6 tháng.",
        category: "dac-san-che-bien",
        unit: "hop",
        priceDong: 250_000,
        stockQty: 140,
        status: "active",
        photos: [{ kind: "cha-ruoi", seed: "khanh-dong" }],
      },
      {
        title: "Đặt trước chả rươi vụ sau",
        description:
          "Giữ chỗ cho vụ rươi năm sau (tháng 9 – tháng 10 âm lịch). Rươi vớt trên ruộng ven sông, làm chả trong ngày, giao theo thứ tự đặt.",
        category: "dac-san-che-bien",
        unit: "hop",
        priceDong: 280_000,
        window: ruoiNext,
        preorderCapacity: 400,
        status: "active",
        photos: [{ kind: "cha-ruoi", seed: "khanh" }],
      },
      {
        title: "Mắm rươi Tứ Kỳ (hũ 500 ml)",
        description:
          "Mắm rươi ủ theo lối cổ truyền với muối hạt và vỏ quýt trong ba tháng, màu nâu hồng, thơm ngậy. Chấm thịt luộc, rau muống luộc hay nấu canh đều ngon.",
        category: "dac-san-che-bien",
        unit: "hu",
        priceDong: 180_000,
        stockQty: 30,
        status: "active",
        photos: [{ kind: "mam-ruoi", seed: "khanh" }],
      },
    ],
  };
}

export function toListingInput(l: DemoListing): ListingInput {
  const preorder = l.preorderCapacity !== undefined;
  return {
    title: l.title,
    description: l.description,
    category: l.category,
    unit: l.unit,
    priceDong: l.priceDong,
    minOrderQty: l.minOrderQty ?? 1,
    madeToOrder: l.madeToOrder ?? false,
    stockQty: l.madeToOrder ? 0 : (l.stockQty ?? 0),
    availableFrom: l.window?.from ?? null,
    availableUntil: l.window?.until ?? null,
    preorder,
    preorderCapacity: preorder ? l.preorderCapacity! : null,
    certifications: l.certifications ?? [],
  };
}

// ------------------------------------------------------------------ seeding

const photoKey = (p: DemoPhoto) => `${p.kind}:${p.seed}`;

/**
 * Renders photos a few at a time, in the order asked: the next pictures are
 * drawn while the listings before them are being stored (rendering is one
 * core of librsvg; storing encodes on the others).
 */
function photoRenderer(concurrency: number) {
  const rendered = new Map<string, Promise<Buffer>>();
  let active = 0;
  const waiting: (() => void)[] = [];
  const slot = () =>
    active < concurrency ? (active++, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve));
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  const queue = (photo: DemoPhoto): Promise<Buffer> => {
    const key = photoKey(photo);
    let job = rendered.get(key);
    if (!job) {
      job = slot().then(() => renderProductArt(photo.kind, { seed: photo.seed }).finally(release));
      job.catch(() => {}); // awaited, and so reported, where the photo is used
      rendered.set(key, job);
    }
    return job;
  };
  return { queue, get: queue };
}

export interface DemoListingsSummary {
  /** Listings this run created. */
  created: number;
  /** Demo listings that were already there (by stall and slug) and were left as they are. */
  alreadyPresent: number;
}

/**
 * Adds the demo listings that are missing from the demo stalls (by stall and
 * slug), each stored with its photos through createListing. Stalls that are
 * not there are skipped. Listings a farmer changed or added are left alone.
 */
export async function seedDemoListings(
  db: Database,
  { today = todayInVietnam() }: { today?: string } = {},
): Promise<DemoListingsSummary> {
  const plan = demoListings(today);
  const summary: DemoListingsSummary = { created: 0, alreadyPresent: 0 };
  const stallRows = await db
    .select({ id: stalls.id, slug: stalls.slug, ownerUserId: households.ownerUserId })
    .from(stalls)
    .innerJoin(households, eq(households.id, stalls.householdId))
    .where(inArray(stalls.slug, Object.keys(plan)));
  if (stallRows.length === 0) return summary;
  const existing = await db
    .select({ stallId: listings.stallId, slug: listings.slug })
    .from(listings)
    .where(
      inArray(
        listings.stallId,
        stallRows.map((s) => s.id),
      ),
    );
  const present = new Set(existing.map((l) => `${l.stallId}/${l.slug}`));

  const todo: { stall: (typeof stallRows)[number]; listing: DemoListing; slug: string }[] = [];
  for (const stall of stallRows) {
    for (const listing of plan[stall.slug]) {
      const slug = slugify(listing.title);
      if (present.has(`${stall.id}/${slug}`)) summary.alreadyPresent++;
      else todo.push({ stall, listing, slug });
    }
  }
  const renderer = photoRenderer(Math.max(1, Math.min(2, os.availableParallelism())));
  for (const { listing } of todo) for (const photo of listing.photos) renderer.queue(photo);

  for (const { stall, listing, slug } of todo) {
    const photos = await Promise.all(listing.photos.map((p) => renderer.get(p)));
    const created = await createListing(db, {
      stallId: stall.id,
      userId: stall.ownerUserId,
      input: toListingInput(listing),
      photos,
      status: listing.status === "draft" ? "draft" : "active",
    });
    if (created.slug !== slug) {
      // Another seeder (a second app instance starting at the same time) made it first: keep theirs.
      await db.delete(listings).where(eq(listings.id, created.id));
      summary.alreadyPresent++;
      continue;
    }
    if (listing.status === "paused") {
      await setListingStatus(db, { listingId: created.id, stallId: stall.id, status: "paused" });
    }
    for (const photo of created.photos) {
      const spec = listing.photos[photo.position];
      if (!spec) continue;
      await db
        .update(listingPhotos)
        .set({ alt: ART_ALT[spec.kind] })
        .where(and(eq(listingPhotos.listingId, created.id), eq(listingPhotos.mediaId, photo.mediaId)));
    }
    summary.created++;
  }
  if (summary.created > 0) logger.debug({ listings: summary.created }, "seeded demo listings");
  return summary;
}
