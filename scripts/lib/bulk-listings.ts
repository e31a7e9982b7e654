/**
 * Many published stalls and listings in a few statements, for the search's
 * EXPLAIN test and scripts/bench/search.ts. Never used by the app itself.
 *
 * Titles are built in SQL from Vietnamese word lists so the trigram indexes
 * see realistic text; stalls are spread over the communes already present.
 */
import { sql } from "drizzle-orm";
import type { Database } from "~/utils/db.server";

const PRODUCTS = [
  "Vải thiều",
  "Cam sành",
  "Bưởi Diễn",
  "Nhãn lồng",
  "Xoài cát",
  "Gạo tám thơm",
  "Gạo nếp cái hoa vàng",
  "Rau muống",
  "Cải ngọt",
  "Cà rốt",
  "Khoai lang",
  "Hành khô",
  "Tỏi ta",
  "Mật ong rừng",
  "Trứng gà ta",
  "Chè Thái Nguyên",
  "Cà phê Robusta",
  "Tôm càng xanh",
  "Bánh gai",
  "Ổi lê",
];
const QUALIFIERS = ["loại 1", "hữu cơ", "nhà trồng", "đặc sản", "hộp quà", "bán buôn", "tươi", "sấy khô", "VietGAP"];
const CATEGORIES = ["trai-cay", "lua-gao", "rau-la", "cu-qua", "gia-vi", "mat-ong-do-kho", "dac-san-che-bien"];

const textArray = (values: string[]) =>
  sql.raw(`ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]::text[]`);

/**
 * Adds `stalls` published stalls (their households in existing communes) and
 * `listings` active listings spread over them. Call again with a new `batch`
 * label to add more.
 */
export async function insertBulkListings(
  db: Database,
  { stalls, listings, batch = "bulk" }: { stalls: number; listings: number; batch?: string },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO households (name, province_code, commune_code, address_line)
    SELECT 'Hộ ' || ${batch} || ' ' || g, c.province_code, c.code, ${batch}
    FROM generate_series(1, ${stalls}::int) g
    JOIN LATERAL (
      SELECT code, province_code FROM communes ORDER BY code OFFSET (g * 7919) % (SELECT count(*) FROM communes) LIMIT 1
    ) c ON true`);
  await db.execute(sql`
    INSERT INTO stalls (household_id, slug, name, status)
    SELECT id, ${batch} || '-' || row_number() OVER (ORDER BY id), 'Gian hàng ' || name, 'published'
    FROM households WHERE address_line = ${batch}`);
  await db.execute(sql`
    WITH ids AS (
      SELECT array_agg(s.id ORDER BY s.id) AS a FROM stalls s JOIN households h ON h.id = s.household_id
      WHERE h.address_line = ${batch}
    )
    INSERT INTO listings (stall_id, slug, title, description, category, unit, price_dong, status, available_from, available_until, created_at)
    SELECT ids.a[1 + g % cardinality(ids.a)], ${batch} || '-' || g,
      (${textArray(PRODUCTS)})[1 + g % ${PRODUCTS.length}] || ' ' || (${textArray(QUALIFIERS)})[1 + (g / 7) % ${QUALIFIERS.length}] || ' lô ' || g,
      'Hàng nhà trồng, thu hoạch theo mùa. Lô số ' || g,
      (${textArray(CATEGORIES)})[1 + g % ${CATEGORIES.length}], 'kg', 5000 + (g * 37) % 500000, 'active',
      CASE WHEN g % 4 = 0 THEN current_date - 30 END, CASE WHEN g % 4 = 0 THEN current_date + 30 END,
      now() - make_interval(mins => g)
    FROM generate_series(1, ${listings}::int) g, ids`);
}
