/**
 * The demo marketplace: farm households of Hải Phòng (the former Hải Dương
 * province) with published stalls, each selling 4–5 products with photos
 * (./demo-listings, pictures drawn by ./product-art), plus a buyer, an
 * extension officer and a province admin. Loaded by `npm run db:seed`
 * (scripts/seed.ts, which decides where the demo may go; `npm start` runs it
 * with --if-empty), never by the server; safe to run again (accounts are keyed
 * by phone, stalls by slug, listings by stall and slug).
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { hashPassword } from "../../app/auth/password.server";
import type { Database } from "../client";
import { householdDelegations, households, officerCommunes, stalls, users, type Role } from "../schema";
import { seedDemoListings } from "./demo-listings";
import { DEMO_PASSWORD } from "./demo-password";

export { DEMO_PASSWORD };

const HAI_PHONG = "31";

interface DemoHousehold {
  phone: string;
  /** The farmer's "Họ và tên" (for a cooperative, its director's). */
  fullName: string;
  kind: "household" | "cooperative";
  /** The cooperative's name; a household goes by the farmer's full name. */
  name?: string;
  communeCode: string;
  addressLine: string;
  /** Onboarded by the extension officer on the household's behalf. */
  byOfficer?: boolean;
  stall: { slug: string; name: string; description: string; publishedAt: string };
}

const HOUSEHOLDS: DemoHousehold[] = [
  {
    phone: "+84912345601",
    fullName: "Nguyễn Văn Thịnh",
    kind: "household",
    communeCode: "10813", // Xã Thanh Hà
    addressLine: "Thôn Phú Lương",
    stall: {
      slug: "vai-thieu-bac-thinh",
      name: "Vườn vải thiều bác Thịnh",
      description:
        "Vải thiều Thanh Hà chín cây, hái sáng nào giao sáng ấy. Vải U đầu mùa từ giữa tháng 5, vụ chính từ đầu tháng 6 đến đầu tháng 7. Nhận đặt trước theo thùng 5 kg và 10 kg.",
      publishedAt: "2026-05-02T08:00:00+07:00",
    },
  },
  {
    phone: "+84983456702",
    fullName: "Đỗ Thị Hằng",
    kind: "household",
    communeCode: "10903", // Xã Cẩm Giàng
    addressLine: "Thôn Đức Chính",
    stall: {
      slug: "ca-rot-cam-giang-chi-hang",
      name: "Cà rốt Cẩm Giàng – chị Hằng",
      description:
        "Cà rốt ruột đỏ, củ thẳng, nhổ tại ruộng từ tháng 1 đến tháng 3. Bán lẻ theo kg, bán buôn theo bao 50 kg cho bếp ăn và thương lái.",
      publishedAt: "2026-01-15T07:30:00+07:00",
    },
  },
  {
    phone: "+84903567803",
    fullName: "Phạm Văn Hùng",
    kind: "household",
    communeCode: "10675", // Phường Kinh Môn
    addressLine: "Khu dân cư An Thủy",
    stall: {
      slug: "hanh-toi-kinh-mon",
      name: "Hành tỏi Kinh Môn nhà anh Hùng",
      description:
        "Hành củ và tỏi ta Kinh Môn trồng vụ đông, phơi khô tự nhiên, thơm và để được lâu. Có bó hành khô treo bếp làm quà.",
      publishedAt: "2026-02-10T09:00:00+07:00",
    },
  },
  {
    phone: "+84974678904",
    fullName: "Vũ Thị Lan",
    kind: "household",
    communeCode: "11203", // Xã Ninh Giang
    addressLine: "Phố Tuy An",
    byOfficer: true,
    stall: {
      slug: "banh-gai-ninh-giang-co-lan",
      name: "Bánh gai Ninh Giang cô Lan",
      description:
        "Bánh gai làm tay theo lối cổ truyền: lá gai, gạo nếp cái hoa vàng, nhân đậu xanh, dừa, vừng, mỡ lợn. Gói lá chuối khô, hấp trong ngày, nhận đơn cỗ cưới, hỏi.",
      publishedAt: "2026-03-05T10:00:00+07:00",
    },
  },
  {
    phone: "+84865789105",
    fullName: "Ngô Văn Lực",
    kind: "cooperative",
    name: "Hợp tác xã Nông nghiệp Nhị Chiểu",
    communeCode: "10714", // Phường Nhị Chiểu (Kinh Môn)
    addressLine: "Khu dân cư Tống Buồng",
    stall: {
      slug: "nep-cai-hoa-vang-nhi-chieu",
      name: "Gạo nếp cái hoa vàng HTX Nhị Chiểu",
      description:
        "Nếp cái hoa vàng vụ mùa, hạt tròn, dẻo thơm, dùng đồ xôi, gói bánh chưng, nấu rượu. Gặt tháng 10–11, xay xát tại hợp tác xã, đóng túi 2 kg và 5 kg.",
      publishedAt: "2025-11-20T08:00:00+07:00",
    },
  },
  {
    phone: "+84836890206",
    fullName: "Lê Văn Quang",
    kind: "household",
    communeCode: "10999", // Xã Gia Lộc
    addressLine: "Thôn Cao Xá",
    stall: {
      slug: "trung-ga-ta-gia-loc",
      name: "Trứng gà ta Gia Lộc",
      description:
        "Gà ta thả vườn ăn thóc, ngô và rau, trứng nhặt trong ngày. Bán theo chục, có khay 30 quả cho quán ăn.",
      publishedAt: "2026-04-01T06:30:00+07:00",
    },
  },
  {
    phone: "+84352901307",
    fullName: "Nguyễn Thị Thu",
    kind: "household",
    communeCode: "10882", // Xã Hà Đông (Thanh Hà)
    addressLine: "Thôn Văn Mạc",
    byOfficer: true,
    stall: {
      slug: "vuon-oi-chi-thu",
      name: "Vườn ổi chị Thu",
      description:
        "Ổi lê giòn ngọt trồng ven sông Rạng, bọc túi từ khi còn non nên quả sạch, vỏ mịn. Có quả gần như quanh năm.",
      publishedAt: "2026-04-18T08:00:00+07:00",
    },
  },
  {
    phone: "+84707012408",
    fullName: "Trần Thị Mai",
    kind: "household",
    communeCode: "10525", // Phường Hải Dương
    addressLine: "Số 18 phố Nguyễn Du",
    stall: {
      slug: "banh-dau-xanh-ba-mai",
      name: "Bánh đậu xanh bà Mai",
      description:
        "Bánh đậu xanh Hải Dương làm từ đậu xanh, đường kính và mỡ lợn theo công thức gia đình ba đời. Hộp 250 g, nhận làm hộp quà Tết có in tên.",
      publishedAt: "2025-12-20T09:30:00+07:00",
    },
  },
  {
    phone: "+84889123509",
    fullName: "Hoàng Văn Dũng",
    kind: "household",
    communeCode: "10546", // Phường Chí Linh
    addressLine: "Khu dân cư Hoàng Tân",
    stall: {
      slug: "vai-chin-som-chi-linh",
      name: "Vải chín sớm Chí Linh",
      description:
        "Vải chín sớm trên đồi Chí Linh, vào vụ trước vải thiều Thanh Hà vài tuần. Giao trong ngày nội thành Hải Phòng và Hà Nội.",
      publishedAt: "2026-05-10T07:00:00+07:00",
    },
  },
  {
    phone: "+84948234610",
    fullName: "Đinh Thị Nga",
    kind: "cooperative",
    name: "Hợp tác xã Rau củ Cẩm Giang",
    communeCode: "10888", // Xã Cẩm Giang (not Cẩm Giàng)
    addressLine: "Thôn Quý Dương",
    stall: {
      slug: "htx-rau-cu-cam-giang",
      name: "HTX Rau củ an toàn Cẩm Giang",
      description:
        "Hai mươi hộ xã viên trồng rau củ theo quy trình VietGAP: cà rốt, su hào, bắp cải, cải bẹ. Giao theo đơn cho bếp ăn trường học và nhà hàng.",
      publishedAt: "2026-01-08T08:00:00+07:00",
    },
  },
  {
    phone: "+84327345711",
    fullName: "Bùi Văn Khánh",
    kind: "household",
    communeCode: "11074", // Xã Tứ Kỳ
    addressLine: "Thôn Lạc Dục",
    stall: {
      slug: "cha-ruoi-tu-ky",
      name: "Chả rươi Tứ Kỳ",
      description:
        "Rươi tươi vớt trên ruộng ven sông vào tháng 9, tháng 10 âm lịch, làm chả rươi với vỏ quýt, thì là. Chả đông lạnh giao cả năm.",
      publishedAt: "2025-10-25T08:00:00+07:00",
    },
  },
];

const STAFF: Array<{ phone: string; fullName: string; role: Role }> = [
  { phone: "+84983000201", fullName: "Nguyễn Minh Anh", role: "buyer" },
  { phone: "+84903000301", fullName: "Phạm Thị Ngọc", role: "officer" },
  { phone: "+84973000401", fullName: "Trần Quốc Bảo", role: "admin" },
];

const nationalFormat = (e164: string) => e164.replace(/^\+84(\d{3})(\d{3})(\d{3})$/, "0$1 $2 $3");

export interface DemoAccount {
  role: Role;
  /** As people write it, e.g. "0912 345 601" (what the sign-in form accepts). */
  phone: string;
  e164: string;
  fullName: string;
  /** The farmer's stall. */
  stallSlug?: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  ...STAFF.map((s) => ({ role: s.role, phone: nationalFormat(s.phone), e164: s.phone, fullName: s.fullName })),
  ...HOUSEHOLDS.map((h) => ({
    role: "farmer" as const,
    phone: nationalFormat(h.phone),
    e164: h.phone,
    fullName: h.fullName,
    stallSlug: h.stall.slug,
  })),
];

export interface DemoSeedSummary {
  /** Rows this run created. */
  users: number;
  households: number;
  stalls: number;
  listings: number;
  /** Accounts, stalls and demo listings that were already there and were left as they are. */
  alreadyPresent: number;
}

export interface DemoSeedOptions {
  /** Add the stalls' listings (and their photos) too. Default true. */
  listings?: boolean;
  /** yyyy-mm-dd in Vietnam: harvest windows and certificates are dated from it. Default: today. */
  today?: string;
}

/** Arbitrary constant: serialises concurrent seeders (two seed scripts on one PostgreSQL). */
const SEED_LOCK = 7263515;

/**
 * Adds whatever part of the demo is missing. Existing accounts (by phone),
 * stalls (by slug) and listings (by stall and slug) are left untouched,
 * passwords included.
 */
export async function seedDemo(db: Database, options: DemoSeedOptions = {}): Promise<DemoSeedSummary> {
  const accounts = [
    ...STAFF,
    ...HOUSEHOLDS.map((h) => ({ phone: h.phone, fullName: h.fullName, role: "farmer" as Role })),
  ];
  const present = new Set(
    (
      await db
        .select({ phone: users.phone })
        .from(users)
        .where(
          inArray(
            users.phone,
            accounts.map((a) => a.phone),
          ),
        )
    ).map((u) => u.phone),
  );
  // scrypt is deliberately slow: hash only for accounts still to create, and outside the transaction.
  const hashes = new Map(
    await Promise.all(
      accounts
        .filter((a) => !present.has(a.phone))
        .map(async (a) => [a.phone, await hashPassword(DEMO_PASSWORD)] as const),
    ),
  );

  const summary = await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`);
    const summary: DemoSeedSummary = { users: 0, households: 0, stalls: 0, listings: 0, alreadyPresent: 0 };

    const userIds = new Map<string, string>();
    for (const account of accounts) {
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.phone, account.phone));
      if (existing) {
        summary.alreadyPresent++;
        userIds.set(account.phone, existing.id);
        continue;
      }
      const passwordHash = hashes.get(account.phone) ?? (await hashPassword(DEMO_PASSWORD));
      const [created] = await tx
        .insert(users)
        // Demo numbers count as proven: the demo buyer checks out without an SMS step.
        .values({
          phone: account.phone,
          fullName: account.fullName,
          role: account.role,
          passwordHash,
          phoneConfirmedAt: new Date(),
        })
        .returning({ id: users.id });
      summary.users++;
      userIds.set(account.phone, created.id);
    }

    const officerId = userIds.get(STAFF.find((s) => s.role === "officer")!.phone)!;
    for (const h of HOUSEHOLDS) {
      const [stall] = await tx.select({ id: stalls.id }).from(stalls).where(eq(stalls.slug, h.stall.slug));
      if (stall) {
        summary.alreadyPresent++;
        continue;
      }
      const ownerUserId = userIds.get(h.phone)!;
      const name = h.name ?? h.fullName;
      // A run interrupted between household and stall (or a farmer who started on their own) leaves a household to reuse.
      const [existing] = await tx
        .select({ id: households.id })
        .from(households)
        .where(and(eq(households.ownerUserId, ownerUserId), eq(households.name, name)));
      let householdId = existing?.id;
      if (!householdId) {
        const [created] = await tx
          .insert(households)
          .values({
            kind: h.kind,
            name,
            ownerUserId,
            createdByUserId: h.byOfficer ? officerId : ownerUserId,
            phone: h.phone,
            provinceCode: HAI_PHONG,
            communeCode: h.communeCode,
            addressLine: h.addressLine,
            onboardingStep: "done",
          })
          .returning({ id: households.id });
        householdId = created.id;
        summary.households++;
      }
      await tx.insert(stalls).values({
        householdId,
        slug: h.stall.slug,
        name: h.stall.name,
        description: h.stall.description,
        status: "published",
        publishedAt: new Date(h.stall.publishedAt),
        // Every demo farm sells at the farm gate and takes cash on delivery (the default).
        pickupEnabled: true,
        pickupAddress: h.addressLine,
        pickupHours: "7:00–17:00",
      });
      summary.stalls++;
    }

    // The officer covers the communes of the households they onboarded and acts for them ("edit", as
    // a household's consent grants it). A delegation a farmer has since changed is left as it is.
    const onboarded = await tx
      .select({ id: households.id, communeCode: households.communeCode })
      .from(households)
      .where(
        and(
          eq(households.createdByUserId, officerId),
          inArray(
            households.phone,
            HOUSEHOLDS.filter((h) => h.byOfficer).map((h) => h.phone),
          ),
        ),
      );
    if (onboarded.length > 0) {
      const adminId = userIds.get(STAFF.find((s) => s.role === "admin")!.phone)!;
      await tx
        .insert(officerCommunes)
        .values(
          [...new Set(onboarded.map((h) => h.communeCode))].map((communeCode) => ({
            officerUserId: officerId,
            communeCode,
            assignedByUserId: adminId,
          })),
        )
        .onConflictDoNothing();
      await tx
        .insert(householdDelegations)
        .values(onboarded.map((h) => ({ householdId: h.id, officerUserId: officerId, access: "edit" as const })))
        .onConflictDoNothing();
    }
    return summary;
  });

  // Outside the transaction: photos are stored (and listings written) through
  // app/listings, in transactions of its own.
  if (options.listings ?? true) {
    const listings = await seedDemoListings(db, { today: options.today });
    summary.listings = listings.created;
    summary.alreadyPresent += listings.alreadyPresent;
  }
  return summary;
}

/** Whether anyone has an account: `npm start` seeds the demo only into a database without (scripts/seed.ts --if-empty). */
export async function hasAccounts(db: Database): Promise<boolean> {
  const [anyone] = await db.select({ id: users.id }).from(users).limit(1);
  return Boolean(anyone);
}
