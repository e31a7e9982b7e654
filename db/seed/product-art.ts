/**
 * Product "photos" for the demo market, drawn in code: nothing is downloaded
 * and no image file is committed. Each kind of product is a small still life
 * (a lychee bunch on a bamboo tray, carrots on a table, eggs in a tray…) in
 * SVG, rendered by sharp (librsvg) to a 1200 × 900 JPEG, as a farmer's phone
 * would send it.
 *
 * Deterministic: the same kind and seed give the same bytes (no clock, no
 * Math.random, numbers rounded before they reach the SVG), so a photo used by
 * several listings is one content-addressed asset, and seeding twice stores
 * nothing new. No text is drawn: fonts differ from machine to machine.
 *
 * Speed matters (every first start renders these):
 * - librsvg filters are slow on a full frame, so there are none. Shadows are
 *   black shapes rendered at half size, blurred by sharp and multiplied into
 *   what lies under them: the table (itself rendered at half size and scaled
 *   up, so slightly out of focus), then the props (tray, plate, leaf) at full
 *   size, then the produce and the light over all.
 * - librsvg fills a <pattern> slowly under a rotated transform, so patterned
 *   things (bamboo weave, hessian, lychee skin) are drawn square to the frame.
 */
import sharp from "sharp";

export const ART_KINDS = [
  "lychee",
  "lychee-box",
  "lychee-dried",
  "carrot",
  "carrot-heap",
  "daikon",
  "shallot",
  "garlic",
  "banh-gai",
  "banh-dau-xanh",
  "rice-bowl",
  "rice-sack",
  "eggs-tray",
  "eggs-basket",
  "duck-eggs",
  "guava",
  "guava-pink",
  "cha-ruoi",
  "greens",
  "cabbage",
  "kohlrabi",
  "honey",
  "mam-ruoi",
] as const;

export type ArtKind = (typeof ART_KINDS)[number];

/** What each picture shows, for the photo's alt text (Vietnamese, like the rest of the demo). */
export const ART_ALT: Readonly<Record<ArtKind, string>> = {
  lychee: "Những chùm vải thiều chín đỏ kèm lá, bày trên mẹt tre",
  "lychee-box": "Thùng các-tông đầy vải thiều chín đỏ, phủ vài cành lá",
  "lychee-dried": "Vải thiều sấy khô vỏ nâu bày trên mẹt, vài quả bóc lộ cùi",
  carrot: "Cà rốt ruột đỏ còn nguyên ngọn xanh trên tấm bao tải",
  "carrot-heap": "Rổ tre đầy cà rốt vừa nhổ, đã cắt ngọn",
  daikon: "Củ cải trắng còn lá xanh xếp trên mặt bàn gỗ",
  shallot: "Hành khô Kinh Môn vỏ đỏ tím trên mẹt tre, hai củ bổ đôi",
  garlic: "Tỏi ta củ nhỏ vỏ tím trắng trên mẹt tre, vài tép tách rời",
  "banh-gai": "Bánh gai gói lá chuối khô, một chiếc bóc lá rắc vừng và một nửa bánh lộ nhân đậu",
  "banh-dau-xanh": "Hộp bánh đậu xanh gói giấy vàng, đĩa bánh đã bóc và chén trà xanh",
  "rice-bowl": "Bát gạo nếp hạt tròn trắng đục bên bông lúa chín",
  "rice-sack": "Bao tải gạo nếp mở miệng, ống đong tre cắm trong gạo",
  "eggs-tray": "Khay trứng gà ta vỏ nâu hồng",
  "eggs-basket": "Rổ trứng gà ta trên lớp rơm khô",
  "duck-eggs": "Rổ trứng vịt vỏ trắng xanh trên lớp rơm",
  guava: "Ổi lê xanh bóng cùng lá, một quả bổ đôi ruột trắng trên thớt gỗ",
  "guava-pink": "Ổi ruột đỏ, một quả bổ đôi lộ ruột hồng trên thớt gỗ",
  "cha-ruoi": "Đĩa chả rươi rán vàng với rau thơm, ớt, chanh và bát nước mắm",
  greens: "Hai bó cải bẹ xanh tươi buộc lạt, còn đọng nước",
  cabbage: "Bắp cải cuộn chặt lá xanh, một bắp bổ đôi",
  kohlrabi: "Su hào củ xanh nhạt còn cuống lá, bày trên mẹt",
  honey: "Hũ mật ong vàng óng, bên cạnh miếng sáp ong và que lấy mật",
  "mam-ruoi": "Hũ mắm rươi màu nâu sẫm và chén mắm có ớt",
};

export interface ProductArtOptions {
  /** Varies the arrangement; the same seed gives the same picture. Default: the kind. */
  seed?: string;
  /** Output size; the scene is drawn at 4:3 and scaled. Default 1200 × 900. */
  width?: number;
  height?: number;
  /** JPEG quality. Default 85. */
  quality?: number;
}

/** The scene's own coordinates (the SVG viewBox). */
const W = 1200;
const H = 900;

export async function renderProductArt(kind: ArtKind, options: ProductArtOptions = {}): Promise<Buffer> {
  const { seed = kind, width = W, height = H, quality = 85 } = options;
  const draw = SCENES[kind];
  if (!draw) throw new Error(`Unknown product art kind: ${String(kind)}`);
  const scene = new Scene(`${kind}:${seed}`);
  draw(scene);
  return scene.render(width, height, quality);
}

// ------------------------------------------------------------------ randomness, numbers, colours

/** FNV-1a: a string to 32 bits. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, and the same on every machine. */
class Rng {
  private state: number;
  constructor(seed: string) {
    this.state = hash32(seed) || 1;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  int(min: number, max: number): number {
    return Math.floor(this.range(min, max + 1));
  }
  /** v ± spread. */
  near(v: number, spread: number): number {
    return v + this.range(-spread, spread);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** One decimal is plenty at 1200 px, and keeps the SVG (and so the bytes) stable. */
const f = (n: number): string => {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? "0" : String(r);
};

type Rgb = [number, number, number];

function rgb(hex: string): Rgb {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function hex([r, g, b]: Rgb): string {
  return (
    "#" +
    [r, g, b]
      .map((c) =>
        Math.max(0, Math.min(255, Math.round(c)))
          .toString(16)
          .padStart(2, "0"),
      )
      .join("")
  );
}

function mix(a: string, b: string, t: number): string {
  const x = rgb(a);
  const y = rgb(b);
  return hex([x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t]);
}

const lighten = (c: string, t: number) => mix(c, "#ffffff", t);
const darken = (c: string, t: number) => mix(c, "#000000", t);

/** A colour a little off `c`, for natural variety. */
function vary(rng: Rng, c: string, amount = 0.08): string {
  const t = rng.range(-amount, amount);
  return t >= 0 ? lighten(c, t) : darken(c, -t);
}

// ------------------------------------------------------------------ SVG text

type Attrs = Record<string, string | number | undefined>;

function attrs(a: Attrs): string {
  let out = "";
  for (const [k, v] of Object.entries(a)) if (v !== undefined) out += ` ${k}="${typeof v === "number" ? f(v) : v}"`;
  return out;
}

const el = (tag: string, a: Attrs, children?: string) =>
  children === undefined ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${children}</${tag}>`;

const g = (a: Attrs, children: string) => el("g", a, children);

const tr = (x: number, y: number, rotate = 0, scale = 1) =>
  `translate(${f(x)} ${f(y)})` + (rotate ? ` rotate(${f(rotate)})` : "") + (scale !== 1 ? ` scale(${f(scale)})` : "");

type Pt = [number, number];

/** A smooth closed curve through the points (Catmull-Rom as cubic Béziers). */
function closedCurve(pts: readonly Pt[]): string {
  const n = pts.length;
  let d = `M${f(pts[0][0])} ${f(pts[0][1])}`;
  for (let i = 0; i < n; i++) {
    const p0 = pts[(i - 1 + n) % n];
    const p1 = pts[i];
    const p2 = pts[(i + 1) % n];
    const p3 = pts[(i + 2) % n];
    d +=
      `C${f(p1[0] + (p2[0] - p0[0]) / 6)} ${f(p1[1] + (p2[1] - p0[1]) / 6)} ` +
      `${f(p2[0] - (p3[0] - p1[0]) / 6)} ${f(p2[1] - (p3[1] - p1[1]) / 6)} ${f(p2[0])} ${f(p2[1])}`;
  }
  return d + "Z";
}

/** A smooth open curve through the points. */
function openCurve(pts: readonly Pt[]): string {
  let d = `M${f(pts[0][0])} ${f(pts[0][1])}`;
  for (let i = 0; i < pts.length - 1; i++) {
    const p0 = pts[Math.max(0, i - 1)];
    const p1 = pts[i];
    const p2 = pts[i + 1];
    const p3 = pts[Math.min(pts.length - 1, i + 2)];
    d +=
      `C${f(p1[0] + (p2[0] - p0[0]) / 6)} ${f(p1[1] + (p2[1] - p0[1]) / 6)} ` +
      `${f(p2[0] - (p3[0] - p1[0]) / 6)} ${f(p2[1] - (p3[1] - p1[1]) / 6)} ${f(p2[0])} ${f(p2[1])}`;
  }
  return d;
}

/** An irregular round outline: radius r, wobbling by `wobble` (fraction of r). */
function blob(rng: Rng, cx: number, cy: number, rx: number, ry: number, wobble: number, points = 12): string {
  const pts: Pt[] = [];
  for (let i = 0; i < points; i++) {
    const a = (i / points) * Math.PI * 2;
    const k = 1 + rng.range(-wobble, wobble);
    pts.push([cx + Math.cos(a) * rx * k, cy + Math.sin(a) * ry * k]);
  }
  return closedCurve(pts);
}

/** Points scattered in an ellipse, kept at least `gap` apart where possible. */
function scatter(rng: Rng, n: number, cx: number, cy: number, rx: number, ry: number, gap: number): Pt[] {
  const pts: Pt[] = [];
  for (let tries = 0; pts.length < n && tries < n * 60; tries++) {
    const a = rng.range(0, Math.PI * 2);
    const d = Math.sqrt(rng.next());
    const p: Pt = [cx + Math.cos(a) * rx * d, cy + Math.sin(a) * ry * d];
    const slack = tries > n * 40 ? 0.6 : 1;
    if (pts.every((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) >= gap * slack)) pts.push(p);
  }
  return pts;
}

const byY = (a: Pt, b: Pt) => a[1] - b[1];

// ------------------------------------------------------------------ the scene and its layers

type Stop = [offset: number, color: string, opacity?: number];

const stops = (list: readonly Stop[]) =>
  list
    .map(([o, c, a]) => el("stop", { offset: o, "stop-color": c, "stop-opacity": a === undefined ? undefined : a }))
    .join("");

/** One level of the still life: things, and the shadows they cast on what is under them. */
class Level {
  /** Black shapes: blurred wide, for the soft shadows of the light from the top left. */
  readonly soft: string[] = [];
  /** Black shapes: blurred a little, where things touch what they lie on. */
  readonly contact: string[] = [];
  /** The things themselves, sharp. */
  readonly fg: string[] = [];
}

class Scene {
  readonly rng: Rng;
  /** The table or wall: slightly out of focus. */
  readonly bg: string[] = [];
  /** What the produce lies on (tray, plate, leaf, board), casting shadows on the table. */
  readonly props = new Level();
  /** The produce, casting shadows on the props and the table. */
  readonly produce = new Level();
  /** Over everything: light fall-off and vignette. */
  readonly light: string[] = [];
  private level = this.produce;
  private readonly defs: string[] = [];
  private readonly keyed = new Map<string, string>();
  private ids = 0;

  constructor(seed: string) {
    this.rng = new Rng(seed);
  }

  get soft() {
    return this.level.soft;
  }
  get contact() {
    return this.level.contact;
  }
  get fg() {
    return this.level.fg;
  }

  /** Draws a prop: something the produce lies on. */
  prop<T>(draw: () => T): T {
    const outer = this.level;
    this.level = this.props;
    try {
      return draw();
    } finally {
      this.level = outer;
    }
  }

  /** Adds a definition once per key; returns its id. */
  def(key: string, make: (id: string) => string): string {
    const known = this.keyed.get(key);
    if (known) return known;
    const id = `d${++this.ids}`;
    this.defs.push(make(id));
    this.keyed.set(key, id);
    return id;
  }

  /** Adds a definition used by one shape only; returns its id. */
  unique(make: (id: string) => string): string {
    const id = `d${++this.ids}`;
    this.defs.push(make(id));
    return id;
  }

  /** A linear gradient in the shape's own box (0…1), top to bottom unless told. */
  linear(list: readonly Stop[], x1 = 0, y1 = 0, x2 = 0, y2 = 1): string {
    const key = `l${x1},${y1},${x2},${y2}|${JSON.stringify(list)}`;
    return `url(#${this.def(key, (id) => el("linearGradient", { id, x1, y1, x2, y2 }, stops(list)))})`;
  }

  /** A radial gradient in the shape's own box. */
  radial(list: readonly Stop[], cx = 0.5, cy = 0.5, r = 0.5, fx = cx, fy = cy): string {
    const key = `r${cx},${cy},${r},${fx},${fy}|${JSON.stringify(list)}`;
    return `url(#${this.def(key, (id) => el("radialGradient", { id, cx, cy, r, fx, fy }, stops(list)))})`;
  }

  /** The same shape in both shadow layers (soft: offset away from the light). */
  shadow(shape: string, { soft = 1, contact = 1 }: { soft?: number; contact?: number } = {}) {
    if (soft > 0) this.soft.push(g({ transform: tr(16 * soft, 22 * soft), "fill-opacity": Math.min(1, soft) }, shape));
    if (contact > 0) this.contact.push(g({ transform: tr(3, 5), "fill-opacity": Math.min(1, contact) }, shape));
  }

  private svg(width: number, height: number, body: string, defs = true): string {
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${W} ${H}">` +
      (defs ? `<defs>${this.defs.join("")}</defs>` : "") +
      body +
      `</svg>`
    );
  }

  /** How much of the light a shadow layer takes (0–255, one channel), blurred. */
  private async shadowMask(body: string[], opacity: number, sigma: number, width: number, height: number) {
    const svg = this.svg(width, height, g({ opacity }, body.join("")), false);
    return sharp(Buffer.from(svg)).extractChannel(3).blur(sigma).raw().toBuffer();
  }

  /** Multiplies a shadow mask into RGB pixels, in place. */
  private static darken(pixels: Buffer, channels: number, ...masks: Buffer[]) {
    const [a, b] = masks;
    for (let i = 0, j = 0; i < a.length; i++, j += channels) {
      // Light that gets past the shadows, 0–255.
      const keep = b ? ((255 - a[i]) * (255 - b[i])) / 255 : 255 - a[i];
      if (keep === 255) continue;
      pixels[j] = (pixels[j] * keep) / 255;
      pixels[j + 1] = (pixels[j + 1] * keep) / 255;
      pixels[j + 2] = (pixels[j + 2] * keep) / 255;
    }
  }

  async render(width: number, height: number, quality: number): Promise<Buffer> {
    // The table and the props' shadows at half size, scaled up once: the table
    // comes out slightly soft, as out of focus, and costs a quarter.
    const w = Math.round(width / 2);
    const h = Math.round(height / 2);
    const [table, propSoft, propContact, produceSoft, produceContact] = await Promise.all([
      sharp(Buffer.from(this.svg(w, h, this.bg.join(""))))
        .flatten({ background: "#6b4a30" })
        .raw()
        .toBuffer({ resolveWithObject: true }),
      this.shadowMask(this.props.soft, 0.4, 8, w, h),
      this.shadowMask(this.props.contact, 0.5, 2, w, h),
      this.shadowMask(this.produce.soft, 0.4, 8, w, h),
      this.shadowMask(this.produce.contact, 0.5, 2, w, h),
    ]);
    const channels = table.info.channels;
    Scene.darken(table.data, channels, propSoft, propContact);
    let under = sharp(table.data, { raw: { width: w, height: h, channels } }).resize(width, height, {
      kernel: "cubic",
    });
    if (this.props.fg.length > 0) {
      under = sharp(await under.raw().toBuffer(), { raw: { width, height, channels } })
        .composite([{ input: Buffer.from(this.svg(width, height, this.props.fg.join(""))) }])
        .removeAlpha();
    }
    const [base, shade] = await Promise.all([
      under.raw().toBuffer(),
      sharp(combine(produceSoft, produceContact), { raw: { width: w, height: h, channels: 1 } })
        .resize(width, height, { kernel: "cubic" })
        .raw()
        .toBuffer(),
    ]);
    Scene.darken(base, channels, shade);
    const top = Buffer.from(this.svg(width, height, this.produce.fg.join("") + this.light.join("")));
    return sharp(base, { raw: { width, height, channels } })
      .composite([{ input: top }])
      .removeAlpha()
      .jpeg({ quality, chromaSubsampling: "4:2:0" })
      .toBuffer();
  }
}

/** Two shadow masks as one: the light either lets through. */
function combine(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = 255 - ((255 - a[i]) * (255 - b[i])) / 255;
  return out;
}

// ------------------------------------------------------------------ light

/** Window light from the top left, darker corners: what makes a drawing read as a photo. */
function lighting(s: Scene, strength = 1) {
  s.light.push(
    el("rect", {
      width: W,
      height: H,
      fill: s.linear(
        [
          [0, "#fff6e0", 0.16 * strength],
          [0.45, "#fff6e0", 0],
          [1, "#1a0f05", 0.22 * strength],
        ],
        0,
        0,
        1,
        1,
      ),
    }),
    el("rect", {
      width: W,
      height: H,
      fill: s.radial(
        [
          [0, "#000000", 0],
          [0.62, "#000000", 0],
          [1, "#120a04", 0.5 * strength],
        ],
        0.48,
        0.45,
        0.75,
      ),
    }),
  );
}

// ------------------------------------------------------------------ surfaces

const WOODS = ["#8b5a33", "#6e4526", "#9c6b40", "#7a5236", "#a57a4c"] as const;

/** A wooden table seen from above: planks with grain, knots and dark seams, at a slight angle. */
function woodTable(s: Scene, base: string = s.rng.pick(WOODS)) {
  const { rng } = s;
  const angle = rng.range(-7, 7);
  const parts: string[] = [el("rect", { x: -300, y: -300, width: W + 600, height: H + 600, fill: darken(base, 0.2) })];
  let y = -260 + rng.range(0, 80);
  while (y < H + 260) {
    const h = rng.range(130, 200);
    const c = vary(rng, base, 0.12);
    parts.push(
      el("rect", {
        x: -300,
        y,
        width: W + 600,
        height: h,
        fill: s.linear([
          [0, lighten(c, 0.08)],
          [0.5, c],
          [1, darken(c, 0.12)],
        ]),
      }),
    );
    // Grain: long, slightly wavy strokes along the plank.
    const lines = rng.int(16, 24);
    for (let i = 0; i < lines; i++) {
      const ly = y + rng.range(4, h - 4);
      const pts: Pt[] = [];
      for (let x = -300; x <= W + 300; x += rng.range(160, 260)) pts.push([x, ly + rng.range(-5, 5)]);
      const dark = rng.chance(0.75);
      parts.push(
        el("path", {
          d: openCurve(pts),
          fill: "none",
          stroke: dark ? darken(c, rng.range(0.2, 0.45)) : lighten(c, rng.range(0.1, 0.22)),
          // At least 2 units wide: the table is rendered at half size, and hairlines would alias.
          "stroke-width": rng.range(2, 5),
          "stroke-opacity": rng.range(0.1, 0.3),
        }),
      );
    }
    if (rng.chance(0.45)) {
      const kx = rng.range(0, W);
      const ky = y + rng.range(h * 0.3, h * 0.7);
      for (let k = 1; k <= 4; k++) {
        parts.push(
          el("ellipse", {
            cx: kx,
            cy: ky,
            rx: 9 * k + 6,
            ry: 3 * k + 2,
            fill: k === 1 ? darken(c, 0.45) : "none",
            stroke: darken(c, 0.35),
            "stroke-width": 1.4,
            "stroke-opacity": 0.5 - k * 0.08,
          }),
        );
      }
    }
    parts.push(
      el("line", { x1: -300, y1: y, x2: W + 300, y2: y, stroke: "#1b1008", "stroke-width": 5, "stroke-opacity": 0.75 }),
      el("line", {
        x1: -300,
        y1: y + 3.5,
        x2: W + 300,
        y2: y + 3.5,
        stroke: lighten(c, 0.3),
        "stroke-width": 1.2,
        "stroke-opacity": 0.35,
      }),
    );
    y += h;
  }
  s.bg.push(g({ transform: `rotate(${f(angle)} ${W / 2} ${H / 2})` }, parts.join("")));
}

/**
 * For things photographed from the front (jars, sacks): a table top in the
 * lower part and a warm, out-of-focus room behind.
 */
function tableAndWall(s: Scene, horizon = 600, wall = s.rng.pick(["#e9d9bd", "#e3cfae", "#d9c4a2"])) {
  const { rng } = s;
  const wood = rng.pick(WOODS);
  const parts: string[] = [
    el("rect", {
      width: W,
      height: horizon + 10,
      fill: s.linear([
        [0, lighten(wall, 0.15)],
        [1, darken(wall, 0.18)],
      ]),
    }),
  ];
  // Out-of-focus lights and leaves behind.
  for (let i = 0; i < 9; i++) {
    const warm = rng.chance(0.6);
    parts.push(
      el("circle", {
        cx: rng.range(0, W),
        cy: rng.range(40, horizon - 60),
        r: rng.range(40, 120),
        fill: s.radial([
          [0, warm ? "#fff3d6" : "#9bbf74", warm ? 0.55 : 0.4],
          [1, warm ? "#fff3d6" : "#9bbf74", 0],
        ]),
      }),
    );
  }
  parts.push(
    el("rect", {
      y: horizon,
      width: W,
      height: H - horizon,
      fill: s.linear([
        [0, darken(wood, 0.1)],
        [1, lighten(wood, 0.05)],
      ]),
    }),
  );
  // Grain in perspective: lines bunched towards the back.
  for (let i = 0; i < 26; i++) {
    const t = rng.next();
    const ly = horizon + (H - horizon) * t * t;
    parts.push(
      el("path", {
        d: openCurve([
          [-20, ly + rng.range(-2, 2)],
          [W / 3, ly + rng.range(-3, 3)],
          [(2 * W) / 3, ly + rng.range(-3, 3)],
          [W + 20, ly + rng.range(-2, 2)],
        ]),
        fill: "none",
        stroke: darken(wood, rng.range(0.2, 0.4)),
        "stroke-width": 2 + t * 2.5,
        "stroke-opacity": rng.range(0.2, 0.45),
      }),
    );
  }
  parts.push(
    el("rect", {
      y: horizon - 4,
      width: W,
      height: 8,
      fill: darken(wood, 0.35),
      "fill-opacity": 0.6,
    }),
  );
  s.bg.push(parts.join(""));
}

// ------------------------------------------------------------------ props

/** A round woven bamboo tray (mẹt), seen from above. */
function met(s: Scene, cx: number, cy: number, r: number) {
  s.prop(() => {
    const { rng } = s;
    const cane = rng.pick(["#c9a063", "#bf9455", "#d2ae74"]);
    const weave = s.def(`weave${cane}`, (id) => {
      const light = lighten(cane, 0.18);
      const dark = darken(cane, 0.28);
      const across = s.linear(
        [
          [0, dark],
          [0.3, light],
          [0.7, cane],
          [1, dark],
        ],
        0,
        0,
        1,
        0,
      );
      const down = s.linear([
        [0, dark],
        [0.3, light],
        [0.7, cane],
        [1, dark],
      ]);
      const strip = (x: number, y: number, horizontal: boolean) =>
        horizontal
          ? el("rect", { x, y, width: 18, height: 8.2, rx: 2, fill: across })
          : el("rect", { x, y, width: 8.2, height: 18, rx: 2, fill: down });
      return el(
        "pattern",
        {
          id,
          width: 36,
          height: 36,
          patternUnits: "userSpaceOnUse",
        },
        el("rect", { width: 36, height: 36, fill: darken(cane, 0.45) }) +
          strip(0, 0.4, true) +
          strip(0, 9.4, true) +
          strip(18.4, 0, false) +
          strip(27.4, 0, false) +
          strip(0.4, 18, false) +
          strip(9.4, 18, false) +
          strip(18, 18.4, true) +
          strip(18, 27.4, true),
      );
    });
    s.shadow(el("circle", { cx, cy, r: r + 14 }), { soft: 1.2, contact: 1 });
    s.fg.push(
      el("circle", { cx, cy, r, fill: `url(#${weave})` }),
      // A shallow dish: lighter in the middle, darker towards the rim.
      el("circle", {
        cx,
        cy,
        r,
        fill: s.radial([
          [0, "#fff8e8", 0.18],
          [0.7, "#000000", 0],
          [1, "#2a1806", 0.45],
        ]),
      }),
      // The rim, lashed with rattan.
      el("circle", { cx, cy, r: r + 4, fill: "none", stroke: darken(cane, 0.1), "stroke-width": 26 }),
      el("circle", { cx, cy, r: r + 4, fill: "none", stroke: lighten(cane, 0.2), "stroke-width": 12 }),
      el("circle", {
        cx,
        cy,
        r: r + 4,
        fill: "none",
        stroke: darken(cane, 0.42),
        "stroke-width": 26,
        "stroke-dasharray": "3 10",
        "stroke-opacity": 0.55,
      }),
      el("circle", {
        cx,
        cy,
        r: r - 9,
        fill: "none",
        stroke: darken(cane, 0.5),
        "stroke-width": 2,
        "stroke-opacity": 0.6,
      }),
    );
  });
}

/** A deep round basket (rổ), seen from above; returns the clip id for what is inside. */
function basket(s: Scene, cx: number, cy: number, r: number): string {
  return s.prop(() => {
    const { rng } = s;
    const cane = rng.pick(["#a9824a", "#b48c52", "#9d7644"]);
    const clip = s.unique((id) => el("clipPath", { id }, el("circle", { cx, cy, r: r - 14 })));
    s.shadow(el("circle", { cx, cy, r: r + 10 }), { soft: 1.4, contact: 1 });
    const ribs: string[] = [];
    for (let a = 0; a < 360; a += 7.5) {
      const rad = (a * Math.PI) / 180;
      ribs.push(
        el("line", {
          x1: cx + Math.cos(rad) * r * 0.2,
          y1: cy + Math.sin(rad) * r * 0.2,
          x2: cx + Math.cos(rad) * r,
          y2: cy + Math.sin(rad) * r,
          stroke: darken(cane, 0.35),
          "stroke-width": 3,
          "stroke-opacity": 0.5,
        }),
      );
    }
    const rings: string[] = [];
    for (let rr = r * 0.22; rr < r; rr += 9) {
      rings.push(
        el("circle", {
          cx,
          cy,
          r: rr,
          fill: "none",
          stroke: lighten(cane, rng.range(0.05, 0.22)),
          "stroke-width": 5,
          "stroke-opacity": 0.7,
        }),
      );
    }
    s.fg.push(
      el("circle", { cx, cy, r, fill: darken(cane, 0.3) }),
      rings.join(""),
      ribs.join(""),
      // Deep inside: dark towards the middle.
      el("circle", {
        cx,
        cy,
        r,
        fill: s.radial([
          [0, "#1a0f05", 0.55],
          [0.75, "#1a0f05", 0.15],
          [1, "#1a0f05", 0],
        ]),
      }),
      el("circle", { cx, cy, r, fill: "none", stroke: darken(cane, 0.15), "stroke-width": 22 }),
      el("circle", { cx, cy, r, fill: "none", stroke: lighten(cane, 0.25), "stroke-width": 8 }),
      el("circle", {
        cx,
        cy,
        r,
        fill: "none",
        stroke: darken(cane, 0.5),
        "stroke-width": 22,
        "stroke-dasharray": "2.5 8",
        "stroke-opacity": 0.5,
      }),
    );
    return clip;
  });
}

/** Hessian (bao tải) cloth: a rough rectangle with frayed edges. */
function burlap(s: Scene, cx: number, cy: number, w: number, h: number, angle: number) {
  s.prop(() => {
    const { rng } = s;
    const c = rng.pick(["#b89a6a", "#a98c5e", "#c2a575"]);
    const pattern = s.def(`burlap${c}`, (id) =>
      el(
        "pattern",
        { id, width: 10, height: 10, patternUnits: "userSpaceOnUse" },
        el("rect", { width: 10, height: 10, fill: darken(c, 0.25) }) +
          el("rect", { x: 0, y: 0.8, width: 10, height: 3.4, fill: lighten(c, 0.08) }) +
          el("rect", { x: 0, y: 5.8, width: 10, height: 3.4, fill: c }) +
          el("rect", { x: 0.8, y: 0, width: 3.4, height: 5, fill: darken(c, 0.05), "fill-opacity": 0.9 }) +
          el("rect", { x: 5.8, y: 5, width: 3.4, height: 5, fill: lighten(c, 0.04), "fill-opacity": 0.9 }),
      ),
    );
    const pts: Pt[] = [];
    const edge = (x0: number, y0: number, x1: number, y1: number) => {
      for (let i = 0; i < 6; i++) {
        const t = i / 6;
        pts.push([x0 + (x1 - x0) * t + rng.range(-6, 6), y0 + (y1 - y0) * t + rng.range(-6, 6)]);
      }
    };
    edge(-w / 2, -h / 2, w / 2, -h / 2);
    edge(w / 2, -h / 2, w / 2, h / 2);
    edge(w / 2, h / 2, -w / 2, h / 2);
    edge(-w / 2, h / 2, -w / 2, -h / 2);
    const d = closedCurve(pts);
    // The weave is filled square to the frame: librsvg fills patterns slowly under a rotation.
    const rad = (angle * Math.PI) / 180;
    const turned = closedCurve(
      pts.map(([x, y]): Pt => [cx + x * Math.cos(rad) - y * Math.sin(rad), cy + x * Math.sin(rad) + y * Math.cos(rad)]),
    );
    const frays: string[] = [];
    for (let i = 0; i < 70; i++) {
      const side = rng.int(0, 3);
      const t = rng.range(-0.5, 0.5);
      const [x, y, dx, dy] =
      side === 0 ? [t * w, -h / 2, 0, -1] : side === 1 ? [w / 2, t * h, 1, 0] : side === 2 ? [t * w, h / 2, 0, 1] : [-w / 2, t * h, -1, 0]; // prettier-ignore
      const len = rng.range(6, 20);
      frays.push(
        el("line", {
          x1: x,
          y1: y,
          x2: x + dx * len + rng.range(-3, 3),
          y2: y + dy * len + rng.range(-3, 3),
          stroke: lighten(c, 0.1),
          "stroke-width": 1.6,
          "stroke-opacity": 0.8,
        }),
      );
    }
    s.shadow(g({ transform: tr(cx, cy, angle) }, el("path", { d })), { soft: 0.5, contact: 0.6 });
    s.fg.push(
      g({ transform: tr(cx, cy, angle) }, frays.join("")),
      el("path", { d: turned, fill: `url(#${pattern})` }),
      g(
        { transform: tr(cx, cy, angle) },
        el("path", {
          d,
          fill: s.radial([
            [0, "#fff5e0", 0.1],
            [1, "#1a0f05", 0.35],
          ]),
        }),
      ),
    );
  });
}

/** A fresh banana leaf, lying along `angle`, centred on cx, cy. */
function bananaLeaf(s: Scene, cx: number, cy: number, length: number, width: number, angle: number, dry = false) {
  s.prop(() => {
    const { rng } = s;
    const base = dry ? rng.pick(["#c7a467", "#b99356"]) : rng.pick(["#4f8d33", "#5a9a3a", "#47842e"]);
    const L = length / 2;
    const top: Pt[] = [];
    const bottom: Pt[] = [];
    for (let i = 0; i <= 10; i++) {
      const x = -L + (length * i) / 10;
      const taper = Math.sin((Math.PI * i) / 10) ** 0.6;
      top.push([x, -(width / 2) * taper * rng.range(0.94, 1.04)]);
      bottom.push([x, (width / 2) * taper * rng.range(0.94, 1.04)]);
    }
    const d = openCurve(top) + openCurve([...bottom].reverse()).replace(/^M/, "L") + "Z";
    const veins: string[] = [];
    for (let x = -L + 20; x < L - 20; x += rng.range(7, 13)) {
      const up = rng.chance(0.5);
      veins.push(
        el("line", {
          x1: x,
          y1: 0,
          x2: x + width * 0.28,
          y2: (up ? -1 : 1) * width * 0.5,
          stroke: up ? lighten(base, 0.25) : darken(base, 0.25),
          "stroke-width": rng.range(1, 2.4),
          "stroke-opacity": 0.35,
        }),
        el("line", {
          x1: x,
          y1: 0,
          x2: x + width * 0.28,
          y2: (up ? 1 : -1) * width * 0.5,
          stroke: up ? darken(base, 0.25) : lighten(base, 0.25),
          "stroke-width": rng.range(1, 2.4),
          "stroke-opacity": 0.3,
        }),
      );
    }
    const clip = s.unique((id) => el("clipPath", { id }, el("path", { d })));
    s.shadow(g({ transform: tr(cx, cy, angle) }, el("path", { d })), { soft: 0.35, contact: 0.5 });
    s.fg.push(
      g(
        { transform: tr(cx, cy, angle) },
        el("path", {
          d,
          fill: s.linear([
            [0, darken(base, 0.25)],
            [0.45, lighten(base, 0.1)],
            [0.55, base],
            [1, darken(base, 0.3)],
          ]),
        }) +
          g({ "clip-path": `url(#${clip})` }, veins.join("")) +
          el("path", {
            d: `M${f(-L)} 0 L${f(L)} 0`,
            stroke: lighten(base, dry ? 0.15 : 0.45),
            "stroke-width": width * 0.045,
            "stroke-linecap": "round",
          }),
      ),
    );
  });
}

/** A white ceramic plate with a blue line on its rim (Bát Tràng style). */
function plate(s: Scene, cx: number, cy: number, r: number) {
  s.prop(() => {
    s.shadow(el("circle", { cx, cy, r }), { soft: 1, contact: 1 });
    s.fg.push(
      el("circle", {
        cx,
        cy,
        r,
        fill: s.radial(
          [
            [0, "#fbfaf6"],
            [0.7, "#f1eee6"],
            [0.82, "#d9d4c8"],
            [0.9, "#fbfaf5"],
            [1, "#cfc9bb"],
          ],
          0.45,
          0.42,
          0.55,
        ),
      }),
      el("circle", { cx, cy, r: r * 0.93, fill: "none", stroke: "#3d5f9a", "stroke-width": 3, "stroke-opacity": 0.8 }),
      el("circle", {
        cx,
        cy,
        r: r * 0.965,
        fill: "none",
        stroke: "#3d5f9a",
        "stroke-width": 1.2,
        "stroke-opacity": 0.6,
      }),
    );
  });
}

/** A small bowl seen from above, with a liquid in it (fish sauce, tea). */
function dipBowl(s: Scene, cx: number, cy: number, r: number, liquid: string, chili = true) {
  const { rng } = s;
  s.shadow(el("circle", { cx, cy, r }));
  const bits: string[] = [];
  if (chili) {
    for (let i = 0; i < 9; i++) {
      const a = rng.range(0, Math.PI * 2);
      const d = rng.range(0, r * 0.55);
      bits.push(
        el("ellipse", {
          cx: cx + Math.cos(a) * d,
          cy: cy + Math.sin(a) * d,
          rx: rng.range(3, 7),
          ry: rng.range(2, 4),
          transform: `rotate(${f(rng.range(0, 180))} ${f(cx + Math.cos(a) * d)} ${f(cy + Math.sin(a) * d)})`,
          fill: rng.pick(["#d8261b", "#e8402a", "#f3e6c7"]),
        }),
      );
    }
  }
  s.fg.push(
    el("circle", {
      cx,
      cy,
      r,
      fill: s.radial([
        [0, "#ffffff"],
        [0.8, "#f0ede5"],
        [1, "#c9c3b6"],
      ]),
    }),
    el("circle", { cx, cy, r: r * 0.72, fill: "#d8d2c4" }),
    el("circle", {
      cx,
      cy,
      r: r * 0.68,
      fill: s.radial(
        [
          [0, lighten(liquid, 0.25)],
          [0.7, liquid],
          [1, darken(liquid, 0.3)],
        ],
        0.4,
        0.4,
        0.6,
      ),
    }),
    bits.join(""),
    el("ellipse", {
      cx: cx - r * 0.22,
      cy: cy - r * 0.3,
      rx: r * 0.28,
      ry: r * 0.1,
      transform: `rotate(-30 ${f(cx - r * 0.22)} ${f(cy - r * 0.3)})`,
      fill: "#ffffff",
      "fill-opacity": 0.45,
    }),
  );
}

/** A long pointed leaf (lychee, guava…), from its base at 0,0 towards +x. */
function leaf(
  s: Scene,
  x: number,
  y: number,
  len: number,
  width: number,
  angle: number,
  color: string,
  { veins = 7, round = 0.5, shadow = 0.6 }: { veins?: number; round?: number; shadow?: number } = {},
) {
  const { rng } = s;
  const bend = rng.range(-0.12, 0.12) * width;
  const d =
    `M0 0C${f(len * 0.2)} ${f(-width * (0.7 + round * 0.3))} ${f(len * (0.55 + round * 0.2))} ${f(-width * 0.75)} ${f(len)} ${f(bend)}` +
    `C${f(len * (0.55 + round * 0.2))} ${f(width * 0.75)} ${f(len * 0.2)} ${f(width * (0.7 + round * 0.3))} 0 0Z`;
  const lines: string[] = [
    el("path", {
      d: `M0 0Q${f(len / 2)} ${f(bend * 0.6)} ${f(len * 0.98)} ${f(bend)}`,
      fill: "none",
      stroke: lighten(color, 0.35),
      "stroke-width": Math.max(1.5, width * 0.06),
      "stroke-opacity": 0.85,
    }),
  ];
  for (let i = 1; i <= veins; i++) {
    const t = i / (veins + 1);
    const vx = len * t;
    const half = width * 0.5 * Math.sin(Math.PI * Math.min(1, t * 1.05)) * 0.85;
    for (const side of [-1, 1]) {
      lines.push(
        el("path", {
          d: `M${f(vx)} ${f(bend * t * 0.6)}Q${f(vx + len * 0.05)} ${f(side * half * 0.6)} ${f(vx + len * 0.1)} ${f(side * half)}`,
          fill: "none",
          stroke: lighten(color, 0.25),
          "stroke-width": Math.max(0.8, width * 0.025),
          "stroke-opacity": 0.55,
        }),
      );
    }
  }
  const shape = g({ transform: tr(x, y, angle) }, el("path", { d }));
  if (shadow > 0) s.shadow(shape, { soft: shadow, contact: shadow });
  s.fg.push(
    g(
      { transform: tr(x, y, angle) },
      el("path", {
        d,
        fill: s.linear([
          [0, lighten(color, 0.12)],
          [0.5, color],
          [1, darken(color, 0.28)],
        ]),
      }) +
        lines.join("") +
        el("path", {
          d,
          fill: s.linear(
            [
              [0, "#ffffff", 0.22],
              [0.5, "#ffffff", 0],
            ],
            0,
            0,
            1,
            1,
          ),
        }),
    ),
  );
}

const LEAF_GREENS = ["#2f6b2a", "#3a7a30", "#2b5f27", "#45823a"] as const;

/** A glossy round thing: fill, rim darkening and a highlight, in local coordinates. */
function ballBody(s: Scene, rx: number, ry: number, color: string, gloss = 0.4, texture?: string): string {
  return (
    el("ellipse", {
      rx,
      ry,
      fill: s.radial(
        [
          [0, lighten(color, 0.28)],
          [0.5, color],
          [1, darken(color, 0.4)],
        ],
        0.4,
        0.36,
        0.68,
        0.36,
        0.3,
      ),
    }) +
    (texture ? el("ellipse", { rx, ry, fill: texture }) : "") +
    el("ellipse", {
      rx,
      ry,
      fill: s.radial([
        [0, "#000000", 0],
        [0.72, "#000000", 0],
        [1, "#140500", 0.45],
      ]),
    }) +
    (gloss > 0
      ? el("ellipse", {
          cx: -rx * 0.36,
          cy: -ry * 0.4,
          rx: rx * 0.3,
          ry: ry * 0.18,
          transform: `rotate(-35 ${f(-rx * 0.36)} ${f(-ry * 0.4)})`,
          fill: s.radial([
            [0, "#ffffff", gloss],
            [1, "#ffffff", 0],
          ]),
        })
      : "")
  );
}

/** A soft drop shadow under a round thing. */
function ballShadow(s: Scene, x: number, y: number, rx: number, ry: number, weight = 1) {
  s.soft.push(el("ellipse", { cx: x + 14, cy: y + 20, rx: rx * 1.02, ry: ry * 1.02, "fill-opacity": weight }));
  s.contact.push(el("ellipse", { cx: x + 3, cy: y + ry * 0.45, rx: rx * 0.85, ry: ry * 0.6, "fill-opacity": weight }));
}

// ------------------------------------------------------------------ lychee

const LYCHEE_REDS = ["#b3262b", "#c23b2e", "#9c1f24", "#a8322a", "#c44a33", "#8f1d22"] as const;
const DRIED_BROWNS = ["#7a4a28", "#8b5a32", "#6a3d20", "#94633a", "#5e371d"] as const;

function lycheeBumps(s: Scene, dark: string) {
  return `url(#${s.def(`bumps${dark}`, (id) =>
    el(
      "pattern",
      { id, width: 11, height: 19, patternUnits: "userSpaceOnUse" },
      [
        [5.5, 4.8],
        [0, 14.3],
        [11, 14.3],
      ]
        .map(
          ([x, y]) =>
            el("path", {
              d: `M${f(x)} ${f(y - 5)}L${f(x + 5)} ${f(y - 2.2)}L${f(x + 5)} ${f(y + 2.6)}L${f(x)} ${f(y + 5)}L${f(x - 5)} ${f(y + 2.6)}L${f(x - 5)} ${f(y - 2.2)}Z`,
              fill: "none",
              stroke: dark,
              "stroke-width": 1.3,
              "stroke-opacity": 0.6,
            }) +
            el("circle", { cx: x - 1.2, cy: y - 1.6, r: 1.6, fill: "#ffffff", "fill-opacity": 0.22 }) +
            el("circle", { cx: x, cy: y, r: 0.9, fill: dark, "fill-opacity": 0.7 }),
        )
        .join(""),
    ),
  )})`;
}

function lycheeFruit(s: Scene, x: number, y: number, r: number, color: string, dried = false) {
  const { rng } = s;
  // Not rotated: librsvg fills a pattern (the bumps) slowly under a rotated transform.
  // Some fruit lie on their side instead.
  const long = r * rng.range(1.04, 1.14);
  const [rx, ry] = rng.chance(0.3) ? [long, r] : [r, long];
  const stem = rng.range(-0.8, 0.8);
  ballShadow(s, x, y, rx, ry);
  const bumps = lycheeBumps(s, dried ? "#2a1408" : "#3a0808");
  let extra = "";
  if (dried && rng.chance(0.25)) {
    // A cracked shell showing the dark, glossy dried flesh.
    extra =
      el("path", { d: blob(rng, rx * 0.15, ry * 0.1, rx * 0.5, ry * 0.42, 0.3, 9), fill: "#3a1d10" }) +
      el("path", {
        d: blob(rng, rx * 0.08, ry * 0.02, rx * 0.22, ry * 0.14, 0.3, 7),
        fill: "#7a4a2a",
        "fill-opacity": 0.6,
      });
  }
  s.fg.push(
    g(
      { transform: tr(x, y) },
      ballBody(s, rx, ry, color, dried ? 0.15 : 0.3, bumps) +
        extra +
        el("circle", {
          cx: Math.sin(stem) * rx * 0.9,
          cy: -Math.cos(stem) * ry * 0.9,
          r: r * 0.12,
          fill: darken(color, 0.45),
        }),
    ),
  );
}

/** A bunch of lychees on their twigs, around cx, cy. */
function lycheeBunch(s: Scene, cx: number, cy: number, n: number, r: number, reds: readonly string[], dried = false) {
  const { rng } = s;
  const pts = scatter(rng, n, cx, cy, r * 2.6, r * 2.2, r * 1.55).sort(byY);
  const knot: Pt = [cx + rng.range(-r, r), cy - r * 3.2];
  if (!dried) {
    for (const [x, y] of pts) {
      s.fg.push(
        el("path", {
          d: openCurve([knot, [(knot[0] + x) / 2 + rng.range(-12, 12), (knot[1] + y) / 2], [x, y - r]]),
          fill: "none",
          stroke: rng.pick(["#6b4a2b", "#7a5a34", "#5d4a26"]),
          "stroke-width": rng.range(2.5, 4),
          "stroke-linecap": "round",
        }),
      );
    }
  }
  for (const [x, y] of pts) lycheeFruit(s, x, y, r * rng.range(0.92, 1.08), rng.pick(reds), dried);
}

/** A peeled lychee in half its shell: the white, glassy flesh. */
function peeledLychee(s: Scene, x: number, y: number, r: number) {
  const { rng } = s;
  ballShadow(s, x, y, r * 1.05, r * 1.1);
  const shell = rng.pick(LYCHEE_REDS);
  s.fg.push(
    g(
      { transform: tr(x, y) },
      el("path", {
        d: `M${f(-r * 1.08)} ${f(r * 0.1)}Q${f(-r * 1.1)} ${f(r * 1.2)} 0 ${f(r * 1.18)}Q${f(r * 1.1)} ${f(r * 1.2)} ${f(r * 1.08)} ${f(r * 0.1)}Q${f(r * 0.5)} ${f(r * 0.4)} 0 ${f(r * 0.35)}Q${f(-r * 0.5)} ${f(r * 0.4)} ${f(-r * 1.08)} ${f(r * 0.1)}Z`,
        fill: shell,
      }) +
        el("path", {
          d: `M${f(-r * 1.08)} ${f(r * 0.1)}Q${f(-r * 1.1)} ${f(r * 1.2)} 0 ${f(r * 1.18)}Q${f(r * 1.1)} ${f(r * 1.2)} ${f(r * 1.08)} ${f(r * 0.1)}Z`,
          fill: lycheeBumps(s, "#3a0808"),
        }) +
        el("ellipse", {
          rx: r * 0.95,
          ry: r * 1.02,
          fill: s.radial(
            [
              [0, "#fffdf6"],
              [0.55, "#efe9da"],
              [0.85, "#d9cfb8"],
              [1, "#b8ab90"],
            ],
            0.42,
            0.38,
            0.62,
          ),
        }) +
        el("path", {
          d: `M${f(-r * 0.2)} ${f(-r * 0.9)}Q${f(r * 0.1)} 0 ${f(-r * 0.1)} ${f(r * 0.9)}`,
          fill: "none",
          stroke: "#c9bc9f",
          "stroke-width": 2,
          "stroke-opacity": 0.5,
        }) +
        el("ellipse", {
          cx: -r * 0.35,
          cy: -r * 0.42,
          rx: r * 0.3,
          ry: r * 0.16,
          transform: `rotate(-35 ${f(-r * 0.35)} ${f(-r * 0.42)})`,
          fill: "#ffffff",
          "fill-opacity": 0.75,
        }),
    ),
  );
}

function lycheeLeaves(s: Scene, cx: number, cy: number, n: number, spread: number) {
  const { rng } = s;
  for (let i = 0; i < n; i++) {
    const a = rng.range(0, 360);
    const rad = (a * Math.PI) / 180;
    leaf(
      s,
      cx + Math.cos(rad) * spread * rng.range(0.2, 0.6),
      cy + Math.sin(rad) * spread * rng.range(0.2, 0.6),
      rng.range(170, 230),
      rng.range(48, 62),
      a,
      rng.pick(LEAF_GREENS),
    );
  }
}

function sceneLychee(s: Scene) {
  const { rng } = s;
  woodTable(s);
  met(s, 600 + rng.range(-40, 40), 470 + rng.range(-20, 20), 470);
  const bunches = rng.int(2, 3);
  const centres: Pt[] =
    bunches === 2
      ? [
          [430, 380],
          [760, 560],
        ]
      : [
          [380, 330],
          [790, 360],
          [560, 640],
        ];
  for (const [x, y] of centres) lycheeLeaves(s, x, y, rng.int(2, 3), 200);
  for (const [x, y] of centres)
    lycheeBunch(s, x + rng.range(-30, 30), y + rng.range(-20, 20), rng.int(12, 15), rng.range(50, 56), LYCHEE_REDS);
  peeledLychee(s, 950 + rng.range(-30, 30), 730, 56);
  if (rng.chance(0.6)) peeledLychee(s, 220 + rng.range(-30, 30), 740, 54);
  lighting(s);
}

function sceneLycheeBox(s: Scene) {
  const { rng } = s;
  woodTable(s);
  // Square to the frame: the lychees inside are patterned (see lycheeFruit).
  const cx = 600 + rng.range(-30, 30);
  const cy = 460;
  const hw = 320;
  const hh = 240;
  const kraft = rng.pick(["#c49a64", "#b98d57", "#caa26d"]);
  const wall = 46;
  const fl = 120;
  const flap = (pts: Pt[], shade: number) =>
    el("path", {
      d: "M" + pts.map(([x, y]) => `${f(cx + x)} ${f(cy + y)}`).join("L") + "Z",
      fill: shade >= 0 ? lighten(kraft, shade) : darken(kraft, -shade),
      stroke: darken(kraft, 0.3),
      "stroke-width": 1.5,
    });
  s.prop(() => {
    s.shadow(el("rect", { x: cx - hw, y: cy - hh, width: 2 * hw, height: 2 * hh }), { soft: 1.3, contact: 1 });
    s.fg.push(
      flap(
        [
          [-hw, -hh],
          [hw, -hh],
          [hw - 20, -hh - fl],
          [-hw + 20, -hh - fl],
        ],
        0.12,
      ),
      flap(
        [
          [-hw, hh],
          [hw, hh],
          [hw - 20, hh + fl * 0.9],
          [-hw + 20, hh + fl * 0.9],
        ],
        -0.05,
      ),
      flap(
        [
          [-hw, -hh],
          [-hw, hh],
          [-hw - fl, hh - 30],
          [-hw - fl, -hh + 30],
        ],
        0.06,
      ),
      flap(
        [
          [hw, -hh],
          [hw, hh],
          [hw + fl, hh - 30],
          [hw + fl, -hh + 30],
        ],
        -0.12,
      ),
      el("rect", { x: cx - hw, y: cy - hh, width: 2 * hw, height: 2 * hh, fill: darken(kraft, 0.25) }),
      // The inside of the two walls that face the light.
      flap(
        [
          [-hw, -hh],
          [hw, -hh],
          [hw - wall, -hh + wall],
          [-hw + wall, -hh + wall],
        ],
        -0.35,
      ),
      flap(
        [
          [-hw, -hh],
          [-hw + wall, -hh + wall],
          [-hw + wall, hh - wall],
          [-hw, hh],
        ],
        -0.28,
      ),
    );
  });
  // The fruit inside, heaped up to the rim: clipped to the opening.
  const clip = s.unique((id) =>
    el("clipPath", { id }, el("rect", { x: cx - hw + 6, y: cy - hh + 6, width: 2 * hw - 12, height: 2 * hh - 12 })),
  );
  const before = s.fg.length;
  for (let y = -hh + 40; y < hh; y += 72) {
    for (let x = -hw + 40 + rng.range(0, 30); x < hw; x += 78) {
      lycheeFruit(
        s,
        cx + x + rng.range(-12, 12),
        cy + y + rng.range(-12, 12),
        rng.range(42, 48),
        rng.pick(LYCHEE_REDS),
      );
    }
  }
  s.fg.push(g({ "clip-path": `url(#${clip})` }, s.fg.splice(before).join("")));
  for (let i = 0; i < 3; i++) {
    leaf(
      s,
      cx + rng.range(-200, 200),
      cy + rng.range(-150, 150),
      rng.range(180, 220),
      rng.range(50, 60),
      rng.range(0, 360),
      rng.pick(LEAF_GREENS),
    );
  }
  lycheeBunch(s, cx + hw - 40, cy + hh + 40, 5, 44, LYCHEE_REDS);
  lighting(s);
}

function sceneLycheeDried(s: Scene) {
  const { rng } = s;
  woodTable(s);
  met(s, 600 + rng.range(-30, 30), 460, 480);
  const pts = scatter(rng, 64, 600, 470, 420, 360, 72).sort(byY);
  for (const [x, y] of pts) lycheeFruit(s, x, y, rng.range(40, 46), rng.pick(DRIED_BROWNS), true);
  lighting(s);
}

// ------------------------------------------------------------------ roots: carrot, daikon

interface Root {
  colors: [edge: string, mid: string, light: string];
  len: number;
  width: number;
  tops: "feathery" | "leafy" | "stub";
}

function root(s: Scene, x: number, y: number, angle: number, spec: Root) {
  const { rng } = s;
  const L = spec.len * rng.range(0.9, 1.1);
  const w = spec.width * rng.range(0.9, 1.1);
  const d =
    `M0 ${f(-w / 2)}C${f(L * 0.45)} ${f(-w * 0.52)} ${f(L * 0.8)} ${f(-w * 0.3)} ${f(L)} ${f(rng.range(-3, 3))}` +
    `C${f(L * 0.8)} ${f(w * 0.3)} ${f(L * 0.45)} ${f(w * 0.52)} 0 ${f(w / 2)}Q${f(-w * 0.2)} 0 0 ${f(-w / 2)}Z`;
  const [edge, mid, light] = spec.colors;
  const rings: string[] = [];
  for (let i = 0; i < rng.int(7, 12); i++) {
    const t = rng.range(0.06, 0.85);
    const half = (w / 2) * (1 - t ** 2.2) * 0.9;
    const side = rng.chance(0.5) ? 1 : -1;
    rings.push(
      el("path", {
        d: `M${f(L * t)} ${f(side * half)}Q${f(L * t + 5)} ${f(side * half * 0.3)} ${f(L * t + 1)} ${f(-side * half * rng.range(0, 0.5))}`,
        fill: "none",
        stroke: darken(edge, 0.2),
        "stroke-width": 1.3,
        "stroke-opacity": 0.4,
      }),
    );
  }
  for (let i = 0; i < 4; i++) {
    const t = rng.range(0.4, 0.9);
    const half = (w / 2) * (1 - t ** 1.5);
    const side = rng.chance(0.5) ? 1 : -1;
    rings.push(
      el("line", {
        x1: L * t,
        y1: side * half,
        x2: L * t + rng.range(4, 14),
        y2: side * (half + rng.range(6, 14)),
        stroke: light,
        "stroke-width": 1,
        "stroke-opacity": 0.7,
      }),
    );
  }
  const tops: string[] = [];
  if (spec.tops === "stub") {
    tops.push(el("ellipse", { cx: -2, rx: w * 0.16, ry: w * 0.32, fill: "#6d8f34" }));
  } else if (spec.tops === "feathery") {
    for (let k = 0; k < rng.int(5, 7); k++) {
      const a = rng.range(-28, 28) + 180;
      const len = rng.range(170, 260);
      const rad = (a * Math.PI) / 180;
      const bendA = rad + rng.range(-0.25, 0.25);
      const pts: Pt[] = [
        [-2, rng.range(-w * 0.2, w * 0.2)],
        [Math.cos(rad) * len * 0.5, Math.sin(rad) * len * 0.5],
        [Math.cos(bendA) * len, Math.sin(bendA) * len],
      ];
      const green = rng.pick(["#4f8a2b", "#5b9a33", "#447d26"]);
      tops.push(
        el("path", {
          d: openCurve(pts),
          fill: "none",
          stroke: darken(green, 0.1),
          "stroke-width": 3.5,
          "stroke-linecap": "round",
        }),
      );
      for (let j = 3; j <= 10; j++) {
        const t = j / 10;
        const px =
          pts[0][0] + (pts[2][0] - pts[0][0]) * t + (pts[1][0] - (pts[0][0] + pts[2][0]) / 2) * 4 * t * (1 - t);
        const py =
          pts[0][1] + (pts[2][1] - pts[0][1]) * t + (pts[1][1] - (pts[0][1] + pts[2][1]) / 2) * 4 * t * (1 - t);
        for (const side of [-1, 1]) {
          const la = (a + side * rng.range(35, 60)) % 360;
          tops.push(
            el("ellipse", {
              cx: px,
              cy: py,
              rx: rng.range(11, 17),
              ry: rng.range(3.5, 5.5),
              transform: `rotate(${f(la)} ${f(px)} ${f(py)}) translate(${f(9)} 0)`,
              fill: vary(rng, green, 0.18),
            }),
          );
        }
      }
    }
  } else {
    for (let k = 0; k < rng.int(3, 4); k++) {
      leaf(s, x - Math.cos((angle * Math.PI) / 180) * 4, y - Math.sin((angle * Math.PI) / 180) * 4, rng.range(230, 300), rng.range(60, 80), angle + 180 + rng.range(-22, 22), rng.pick(["#4f8f36", "#5c9b3e", "#3f7d2e"]), { veins: 9, round: 0.2, shadow: 0.5 }); // prettier-ignore
    }
  }
  const body = el("path", { d });
  s.shadow(g({ transform: tr(x, y, angle) }, body));
  s.fg.push(
    g(
      { transform: tr(x, y, angle) },
      tops.join("") +
        el("path", {
          d,
          fill: s.linear([
            [0, darken(edge, 0.15)],
            [0.3, mid],
            [0.42, light],
            [0.7, mid],
            [1, darken(edge, 0.2)],
          ]),
        }) +
        rings.join(""),
    ),
  );
}

const CARROT: Root = { colors: ["#c8501a", "#ee7a24", "#ffb060"], len: 330, width: 58, tops: "feathery" };

function sceneCarrot(s: Scene) {
  const { rng } = s;
  woodTable(s);
  burlap(s, 640, 470, 1000, 680, rng.range(-6, 6));
  // A bunch as it is pulled: tops together at the upper left, roots fanning out.
  const n = rng.int(8, 10);
  const hub: Pt = [360 + rng.range(-30, 30), 300 + rng.range(-30, 30)];
  for (let i = 0; i < n; i++) {
    const a = 4 + (i / (n - 1)) * 62 + rng.range(-4, 4);
    const rad = (a * Math.PI) / 180;
    const off = rng.range(90, 150);
    root(s, hub[0] + Math.cos(rad) * off, hub[1] + Math.sin(rad) * off, a, { ...CARROT, len: 470, width: 76 });
  }
  lighting(s);
}

function sceneCarrotHeap(s: Scene) {
  const { rng } = s;
  woodTable(s);
  const cx = 600 + rng.range(-30, 30);
  const cy = 450;
  const clip = basket(s, cx, cy, 430);
  const before = s.fg.length;
  for (let i = 0; i < 46; i++) {
    const a = rng.range(0, Math.PI * 2);
    const d = Math.sqrt(rng.next()) * 360;
    const dir = rng.range(0, 360);
    const rad = (dir * Math.PI) / 180;
    // (x, y) is the carrot's middle; root() wants its top.
    const x = cx + Math.cos(a) * d - Math.cos(rad) * 150;
    const y = cy + Math.sin(a) * d - Math.sin(rad) * 150;
    root(s, x, y, dir, { ...CARROT, len: 300, width: 68, tops: "stub" });
  }
  s.fg.push(g({ "clip-path": `url(#${clip})` }, s.fg.splice(before).join("")));
  lighting(s);
}

function sceneDaikon(s: Scene) {
  const { rng } = s;
  woodTable(s, rng.pick(["#8b5a33", "#7a5236"]));
  const n = rng.int(4, 5);
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1);
    root(s, 420 + t * 120 + rng.range(-20, 20), 190 + t * 520, 18 + rng.range(-6, 6) - t * 10, {
      colors: ["#d9d6c8", "#f3f1e8", "#ffffff"],
      len: 420,
      width: 92,
      tops: "leafy",
    });
  }
  lighting(s);
}

// ------------------------------------------------------------------ bulbs: shallot, garlic

function shallot(s: Scene, x: number, y: number, r: number) {
  const { rng } = s;
  const color = rng.pick(["#b5603f", "#a34a4a", "#b86a45", "#9c4755", "#c0714a"]);
  const h = r * rng.range(1.5, 1.9);
  const d =
    `M0 ${f(-h)}C${f(r * 0.22)} ${f(-h * 0.6)} ${f(r)} ${f(-r * 0.55)} ${f(r)} 0` +
    `C${f(r)} ${f(r * 0.55)} ${f(r * 0.5)} ${f(r * 0.8)} 0 ${f(r * 0.8)}` +
    `C${f(-r * 0.5)} ${f(r * 0.8)} ${f(-r)} ${f(r * 0.55)} ${f(-r)} 0` +
    `C${f(-r)} ${f(-r * 0.55)} ${f(-r * 0.22)} ${f(-h * 0.6)} 0 ${f(-h)}Z`;
  const lines: string[] = [];
  for (let k = -3; k <= 3; k++) {
    const xk = (k / 3.5) * r;
    lines.push(
      el("path", {
        d: `M0 ${f(-h * 0.95)}Q${f(xk * 1.25)} ${f(-r * 0.2)} ${f(xk * 0.6)} ${f(r * 0.75)}`,
        fill: "none",
        stroke: k % 2 ? lighten(color, 0.3) : darken(color, 0.3),
        "stroke-width": rng.range(1, 2),
        "stroke-opacity": 0.4,
      }),
    );
  }
  // Papery outer skin flaking off.
  const skin = rng.chance(0.6)
    ? el("path", {
        d: blob(rng, rng.range(-r * 0.4, r * 0.4), rng.range(-r * 0.3, r * 0.4), r * 0.45, r * 0.35, 0.4, 7),
        fill: "#d9b58a",
        "fill-opacity": 0.3,
      })
    : "";
  const tuft: string[] = [];
  for (let i = 0; i < 9; i++) {
    const a = rng.range(50, 130) * (Math.PI / 180);
    tuft.push(
      el("line", {
        x1: rng.range(-4, 4),
        y1: r * 0.78,
        x2: Math.cos(a) * rng.range(8, 16),
        y2: r * 0.78 + Math.sin(a) * rng.range(8, 16),
        stroke: "#d8c7a0",
        "stroke-width": 1.3,
      }),
    );
  }
  const neck = el("path", {
    d: `M-2 ${f(-h)}Q${f(rng.range(-8, 8))} ${f(-h - 14)} ${f(rng.range(-6, 6))} ${f(-h - rng.range(18, 28))}`,
    fill: "none",
    stroke: "#c7a577",
    "stroke-width": 3,
    "stroke-linecap": "round",
  });
  const rot = rng.range(0, 360);
  s.shadow(g({ transform: tr(x, y, rot) }, el("path", { d })));
  s.fg.push(
    g(
      { transform: tr(x, y, rot) },
      tuft.join("") +
        neck +
        el("path", {
          d,
          fill: s.radial(
            [
              [0, lighten(color, 0.3)],
              [0.55, color],
              [1, darken(color, 0.45)],
            ],
            0.4,
            0.45,
            0.65,
          ),
        }) +
        lines.join("") +
        skin +
        el("ellipse", {
          cx: -r * 0.35,
          cy: -r * 0.25,
          rx: r * 0.22,
          ry: r * 0.12,
          fill: "#ffffff",
          "fill-opacity": 0.25,
        }),
    ),
  );
}

function halvedShallot(s: Scene, x: number, y: number, r: number) {
  const { rng } = s;
  const rings: string[] = [];
  for (let k = 0; k < 6; k++) {
    const t = 1 - k * 0.16;
    rings.push(
      el("ellipse", {
        rx: r * t,
        ry: r * 1.25 * t,
        fill: k % 2 ? "#f6e8ee" : mix("#b04a6b", "#f6e8ee", k * 0.15),
      }),
    );
  }
  const rot = rng.range(0, 360);
  s.shadow(g({ transform: tr(x, y, rot) }, el("ellipse", { rx: r, ry: r * 1.25 })));
  s.fg.push(
    g(
      { transform: tr(x, y, rot) },
      rings.join("") +
        el("ellipse", { cx: -r * 0.3, cy: -r * 0.4, rx: r * 0.3, ry: r * 0.15, fill: "#ffffff", "fill-opacity": 0.35 }),
    ),
  );
}

function sceneShallot(s: Scene) {
  const { rng } = s;
  woodTable(s);
  met(s, 600 + rng.range(-30, 30), 460, 480);
  const pts = scatter(rng, 60, 600, 450, 420, 370, 64).sort(byY);
  for (const [x, y] of pts) shallot(s, x, y, rng.range(38, 46));
  halvedShallot(s, 980, 770, 44);
  halvedShallot(s, 1075, 700, 42);
  lighting(s);
}

function garlic(s: Scene, x: number, y: number, R: number) {
  const { rng } = s;
  const pts: Pt[] = [];
  const lobes = rng.int(5, 7);
  const phase = rng.range(0, Math.PI);
  for (let i = 0; i < 24; i++) {
    const a = (i / 24) * Math.PI * 2;
    const k = 1 + 0.05 * Math.cos(lobes * a + phase);
    // Flatter at the root (bottom), pointed towards the neck (top).
    const ry = Math.sin(a) > 0 ? 0.82 : 1;
    pts.push([Math.cos(a) * R * k, Math.sin(a) * R * k * ry]);
  }
  pts[18] = [0, -R * 1.22];
  const d = closedCurve(pts);
  const purple = rng.pick(["#8d4a7a", "#7d3f6d", "#9a5a86"]);
  const lines: string[] = [];
  for (let k = -2; k <= 2; k++) {
    lines.push(
      el("path", {
        d: `M${f(k * R * 0.32)} ${f(R * 0.7)}Q${f(k * R * 0.55)} ${f(-R * 0.2)} 0 ${f(-R * 1.1)}`,
        fill: "none",
        stroke: "#b9ad9c",
        "stroke-width": 1.6,
        "stroke-opacity": 0.65,
      }),
    );
  }
  for (let k = 0; k < 5; k++) {
    const xk = rng.range(-0.8, 0.8) * R;
    lines.push(
      el("path", {
        d: `M${f(xk * 0.6)} ${f(R * 0.6)}Q${f(xk)} 0 ${f(xk * 0.3)} ${f(-R * 0.9)}`,
        fill: "none",
        stroke: purple,
        "stroke-width": rng.range(2, 6),
        "stroke-opacity": rng.range(0.2, 0.45),
        "stroke-linecap": "round",
      }),
    );
  }
  const roots: string[] = [];
  for (let i = 0; i < 12; i++) {
    const a = rng.range(60, 120) * (Math.PI / 180);
    roots.push(
      el("line", {
        x1: rng.range(-R * 0.2, R * 0.2),
        y1: R * 0.78,
        x2: Math.cos(a) * R * 0.35,
        y2: R * 0.78 + Math.sin(a) * R * 0.25,
        stroke: "#cbb894",
        "stroke-width": 1.3,
      }),
    );
  }
  const rot = rng.range(-60, 60) + (rng.chance(0.3) ? 180 : 0);
  s.shadow(g({ transform: tr(x, y, rot) }, el("path", { d })));
  s.fg.push(
    g(
      { transform: tr(x, y, rot) },
      roots.join("") +
        el("path", {
          d: `M-4 ${f(-R * 1.15)}Q${f(rng.range(-10, 10))} ${f(-R * 1.4)} ${f(rng.range(-8, 8))} ${f(-R * 1.55)}`,
          stroke: "#d6c6a6",
          "stroke-width": 5,
          fill: "none",
          "stroke-linecap": "round",
        }) +
        el("path", {
          d,
          fill: s.radial(
            [
              [0, "#fffdf8"],
              [0.6, "#efe7dc"],
              [1, "#b9a99a"],
            ],
            0.4,
            0.4,
            0.65,
          ),
        }) +
        lines.join("") +
        el("ellipse", { cy: R * 0.72, rx: R * 0.22, ry: R * 0.08, fill: "#bfa983" }),
    ),
  );
}

function garlicClove(s: Scene, x: number, y: number, r: number) {
  const { rng } = s;
  const d = `M${f(-r)} ${f(r * 0.4)}Q${f(-r * 0.9)} ${f(-r * 0.9)} ${f(r * 0.2)} ${f(-r * 1.3)}Q${f(r * 0.9)} ${f(-r * 0.6)} ${f(r * 0.7)} ${f(r * 0.5)}Q0 ${f(r * 0.8)} ${f(-r)} ${f(r * 0.4)}Z`;
  const rot = rng.range(0, 360);
  s.shadow(g({ transform: tr(x, y, rot) }, el("path", { d })), { soft: 0.7, contact: 1 });
  s.fg.push(
    g(
      { transform: tr(x, y, rot) },
      el("path", {
        d,
        fill: s.radial([
          [0, "#fffaf0"],
          [1, "#cdbfa8"],
        ]),
      }) +
        el("path", {
          d: `M${f(-r * 0.5)} ${f(r * 0.2)}Q${f(-r * 0.3)} ${f(-r * 0.6)} ${f(r * 0.2)} ${f(-r * 1.1)}`,
          fill: "none",
          stroke: "#a77a96",
          "stroke-width": 1.5,
          "stroke-opacity": 0.5,
        }),
    ),
  );
}

function sceneGarlic(s: Scene) {
  const { rng } = s;
  woodTable(s);
  met(s, 600 + rng.range(-30, 30), 450, 470);
  const pts = scatter(rng, 18, 600, 440, 390, 320, 120).sort(byY);
  for (const [x, y] of pts) garlic(s, x, y, rng.range(70, 80));
  for (let i = 0; i < 5; i++) garlicClove(s, 960 + rng.range(-80, 80), 790 + rng.range(-40, 40), rng.range(22, 27));
  lighting(s);
}

// ------------------------------------------------------------------ cakes: bánh gai, bánh đậu xanh

/** Dry banana leaf: fibres along one direction, a few brown spots. */
function dryLeafTexture(s: Scene, w: number, h: number, color: string, n = 40): string {
  const { rng } = s;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const y = rng.range(-h / 2, h / 2);
    out.push(
      el("line", {
        x1: -w / 2,
        y1: y,
        x2: w / 2,
        y2: y + rng.range(-3, 3),
        stroke: rng.chance(0.5) ? lighten(color, 0.25) : darken(color, 0.3),
        "stroke-width": rng.range(0.8, 2.4),
        "stroke-opacity": rng.range(0.25, 0.5),
      }),
    );
  }
  for (let i = 0; i < n / 8; i++) {
    out.push(
      el("path", {
        d: blob(rng, rng.range(-w / 2, w / 2), rng.range(-h / 2, h / 2), rng.range(6, 22), rng.range(3, 8), 0.3, 7),
        fill: darken(color, 0.35),
        "fill-opacity": rng.range(0.15, 0.35),
      }),
    );
  }
  return out.join("");
}

const DRY_LEAF = ["#c9a36a", "#bf9860", "#b48c55", "#d0ad75"] as const;

function wrappedBanhGai(s: Scene, x: number, y: number, size: number) {
  const { rng } = s;
  const c = rng.pick(DRY_LEAF);
  const h = size / 2;
  const rot = rng.range(-12, 12);
  const shape = el("rect", { x: -h, y: -h, width: size, height: size, rx: 22 });
  const clip = s.def(`gai${size}`, (id) => el("clipPath", { id }, shape));
  // The last fold of leaf laps over from one side, with a ragged edge.
  const edge: Pt[] = [];
  const lap = rng.range(0.05, 0.3) * size;
  for (let i = 0; i <= 6; i++) edge.push([lap + rng.range(-6, 6), -h - 10 + ((size + 20) * i) / 6]);
  const flap = openCurve(edge) + `L${f(h + 10)} ${f(h + 10)}L${f(h + 10)} ${f(-h - 10)}Z`;
  s.shadow(g({ transform: tr(x, y, rot) }, shape), { soft: 1, contact: 1 });
  s.fg.push(
    g(
      { transform: tr(x, y, rot) },
      el("rect", { x: -h, y: -h, width: size, height: size, rx: 22, fill: c }) +
        g(
          { "clip-path": `url(#${clip})` },
          dryLeafTexture(s, size, size, c) +
            g({ transform: tr(5, 4) }, el("path", { d: flap, fill: "#000000", "fill-opacity": 0.2 })) +
            el("path", { d: flap, fill: vary(rng, c, 0.06) }) +
            g(
              { "clip-path": `url(#${s.unique((id) => el("clipPath", { id }, el("path", { d: flap })))})` },
              g({ transform: "rotate(90)" }, dryLeafTexture(s, size, size, c, 24)),
            ) +
            el("path", {
              d: openCurve(edge),
              fill: "none",
              stroke: darken(c, 0.35),
              "stroke-width": 2,
              "stroke-opacity": 0.6,
            }) +
            // Pillow-shaped, and the black cake shows through the thin dry leaf.
            el("rect", {
              x: -h,
              y: -h,
              width: size,
              height: size,
              fill: s.radial(
                [
                  [0, "#fff4dc", 0.22],
                  [0.45, "#1a120c", 0.12],
                  [0.85, "#1a120c", 0.3],
                  [1, "#1a120c", 0.55],
                ],
                0.42,
                0.4,
                0.72,
              ),
            }),
        ),
    ),
  );
}

function sesame(s: Scene, w: number, h: number, n: number): string {
  const { rng } = s;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = rng.range(-w / 2, w / 2);
    const y = rng.range(-h / 2, h / 2);
    out.push(
      el("ellipse", {
        cx: x,
        cy: y,
        rx: 3.2,
        ry: 1.8,
        transform: `rotate(${f(rng.range(0, 180))} ${f(x)} ${f(y)})`,
        fill: rng.pick(["#f4ead2", "#e8dcbc", "#fff8e6"]),
      }),
    );
  }
  return out.join("");
}

/** An unwrapped cake on its opened wrapper (four flaps of leaf), with half of another, cut. */
function openBanhGai(s: Scene, x: number, y: number, size: number) {
  const { rng } = s;
  const h = size / 2;
  const rot = rng.range(-10, 10);
  const c = "#c29a5f";
  const reach = size * 0.75;
  const pts: Pt[] = [];
  const jag = () => rng.range(-14, 14);
  pts.push([-h - 10, -h - reach + jag()], [h + 10, -h - reach + jag()], [h + 4, -h - 4]);
  pts.push([h + reach + jag(), -h - 10], [h + reach + jag(), h + 10], [h + 4, h + 4]);
  pts.push([h + 10, h + reach + jag()], [-h - 10, h + reach + jag()], [-h - 4, h + 4]);
  pts.push([-h - reach + jag(), h + 10], [-h - reach + jag(), -h - 10], [-h - 4, -h - 4]);
  const wrapper = "M" + pts.map(([px, py]) => `${f(px)} ${f(py)}`).join("L") + "Z";
  const clip = s.unique((id) => el("clipPath", { id }, el("path", { d: wrapper })));
  s.shadow(g({ transform: tr(x, y, rot) }, el("path", { d: wrapper })), { soft: 0.45, contact: 0.6 });
  const creases = [-h, h]
    .flatMap((v) => [
      el("line", { x1: v, y1: -h - reach, x2: v, y2: h + reach, stroke: darken(c, 0.35), "stroke-width": 2, "stroke-opacity": 0.45 }), // prettier-ignore
      el("line", { x1: -h - reach, y1: v, x2: h + reach, y2: v, stroke: darken(c, 0.35), "stroke-width": 2, "stroke-opacity": 0.45 }), // prettier-ignore
    ])
    .join("");
  s.fg.push(
    g(
      { transform: tr(x, y, rot) },
      el("path", { d: wrapper, fill: c }) +
        g({ "clip-path": `url(#${clip})` }, dryLeafTexture(s, size * 3, size * 3, c, 90) + creases) +
        el("path", { d: wrapper, fill: "none", stroke: darken(c, 0.3), "stroke-width": 1.5, "stroke-opacity": 0.6 }) +
        el("rect", {
          x: -h + 8,
          y: -h + 10,
          width: size,
          height: size,
          rx: 24,
          fill: "#000000",
          "fill-opacity": 0.35,
        }) +
        el("rect", {
          x: -h,
          y: -h,
          width: size,
          height: size,
          rx: 24,
          fill: s.radial(
            [
              [0, "#3a2e28"],
              [0.6, "#1c1512"],
              [1, "#0d0907"],
            ],
            0.4,
            0.38,
            0.7,
          ),
        }) +
        el("ellipse", {
          cx: -h * 0.3,
          cy: -h * 0.35,
          rx: h * 0.45,
          ry: h * 0.14,
          transform: `rotate(-30 ${f(-h * 0.3)} ${f(-h * 0.35)})`,
          fill: "#ffffff",
          "fill-opacity": 0.16,
        }) + // prettier-ignore
        sesame(s, size * 0.85, size * 0.85, 46),
    ),
  );
}

/** A hand-made square: corners rounded, sides not quite straight. */
function squarish(rng: Rng, h: number, wobble: number): string {
  const k = () => h * (1 + rng.range(-wobble, wobble));
  const c = 0.8;
  // Clockwise from the top-left corner, two points per corner.
  return closedCurve([
    [-k() * c, -k()],
    [k() * c, -k()],
    [k(), -k() * c],
    [k(), k() * c],
    [k() * c, k()],
    [-k() * c, k()],
    [-k(), k() * c],
    [-k(), -k() * c],
  ]);
}

/** A slice of cake, cut face up: black rim, mung-bean filling with pork fat and coconut. */
function cutBanhGai(s: Scene, x: number, y: number, size: number) {
  const { rng } = s;
  const rot = rng.range(-15, 15);
  const h = size / 2;
  const filling = squarish(rng, h * 0.68, 0.06);
  const bits: string[] = [];
  for (let i = 0; i < 30; i++) {
    const a = rng.range(0, Math.PI * 2);
    const d = Math.sqrt(rng.next()) * h * 0.55;
    bits.push(el("circle", { cx: Math.cos(a) * d, cy: Math.sin(a) * d * 0.9, r: rng.range(4, 9), fill: rng.pick(["#e7bb55", "#d9a53f", "#f0cd73"]), "fill-opacity": 0.7 })); // prettier-ignore
  }
  for (let i = 0; i < 10; i++) {
    const bx = rng.range(-h * 0.45, h * 0.45);
    const by = rng.range(-h * 0.4, h * 0.4);
    bits.push(
      rng.chance(0.6)
        ? el("rect", { x: bx, y: by, width: rng.range(8, 13), height: rng.range(8, 13), rx: 2.5, transform: `rotate(${f(rng.range(0, 90))} ${f(bx)} ${f(by)})`, fill: "#f7f1e3", "fill-opacity": 0.9 }) // prettier-ignore
        : el("line", { x1: bx, y1: by, x2: bx + rng.range(-16, 16), y2: by + rng.range(-6, 6), stroke: "#fbf8ef", "stroke-width": 2.5, "stroke-linecap": "round" }), // prettier-ignore
    );
  }
  const body = squarish(rng, h, 0.03);
  s.shadow(g({ transform: tr(x, y, rot) }, el("path", { d: body })));
  s.fg.push(
    g(
      { transform: tr(x, y, rot) },
      el("path", { d: body, fill: "#15100d" }) +
        el("path", { d: body, fill: "none", stroke: "#3a2e28", "stroke-width": 3 }) +
        el("path", { d: filling, fill: "#dcaa45" }) +
        bits.join("") +
        el("path", { d: filling, fill: "none", stroke: "#6b4a1c", "stroke-width": 2, "stroke-opacity": 0.6 }),
    ),
  );
}

function sceneBanhGai(s: Scene) {
  const { rng } = s;
  woodTable(s, rng.pick(["#6e4526", "#7a5236"]));
  bananaLeaf(s, 600, 460, 1500, 560, rng.range(-22, -12));
  const size = 190;
  const spots: Pt[] = [
    [330, 290],
    [545, 260],
    [300, 520],
    [520, 500],
  ];
  for (const [x, y] of spots) wrappedBanhGai(s, x + rng.range(-15, 15), y + rng.range(-15, 15), size);
  openBanhGai(s, 850, 390, 180);
  cutBanhGai(s, 960, 710, 200);
  lighting(s);
}

function foilCube(s: Scene, x: number, y: number, size: number, rot: number, foil: string): string {
  const { rng } = s;
  const h = size / 2;
  const crinkles: string[] = [];
  for (let i = 0; i < 6; i++) {
    const a = rng.range(-h, h);
    const b = rng.range(-h, h);
    crinkles.push(
      el("line", {
        x1: a,
        y1: -h,
        x2: b,
        y2: h,
        stroke: rng.chance(0.5) ? "#fff8d8" : darken(foil, 0.35),
        "stroke-width": rng.range(1, 2.5),
        "stroke-opacity": 0.45,
      }),
    );
  }
  return g(
    { transform: tr(x, y, rot) },
    el("rect", {
      x: -h,
      y: -h,
      width: size,
      height: size,
      rx: 7,
      fill: s.linear(
        [
          [0, lighten(foil, 0.4)],
          [0.35, foil],
          [0.55, lighten(foil, 0.25)],
          [1, darken(foil, 0.35)],
        ],
        0,
        0,
        1,
        1,
      ),
    }) +
      crinkles.join("") +
      // Folded paper ends.
      el("path", {
        d: `M${f(-h)} ${f(-h * 0.3)}L${f(-h * 0.6)} 0L${f(-h)} ${f(h * 0.3)}M${f(h)} ${f(-h * 0.3)}L${f(h * 0.6)} 0L${f(h)} ${f(h * 0.3)}`,
        fill: "none",
        stroke: darken(foil, 0.4),
        "stroke-width": 1.5,
        "stroke-opacity": 0.6,
      }),
  );
}

function bareCube(s: Scene, x: number, y: number, size: number) {
  const { rng } = s;
  const h = size / 2;
  const rot = rng.range(-25, 25);
  const specks: string[] = [];
  for (let i = 0; i < 14; i++) {
    specks.push(
      el("circle", {
        cx: rng.range(-h, h) * 0.85,
        cy: rng.range(-h, h) * 0.85,
        r: rng.range(0.8, 1.8),
        fill: "#b98d3a",
        "fill-opacity": 0.5,
      }),
    );
  }
  s.shadow(g({ transform: tr(x, y, rot) }, el("rect", { x: -h, y: -h, width: size, height: size, rx: 6 })), {
    soft: 0.8,
    contact: 1,
  });
  s.fg.push(
    g(
      { transform: tr(x, y, rot) },
      el("rect", {
        x: -h,
        y: -h,
        width: size,
        height: size,
        rx: 6,
        fill: s.radial(
          [
            [0, "#f8e6a6"],
            [0.75, "#efd38a"],
            [1, "#d4b062"],
          ],
          0.4,
          0.38,
          0.72,
        ),
      }) + specks.join(""),
    ),
  );
}

function sceneBanhDauXanh(s: Scene) {
  const { rng } = s;
  woodTable(s);
  const cx = 520 + rng.range(-20, 20);
  const cy = 380;
  const angle = rng.range(-8, 4);
  const red = rng.pick(["#a71d2a", "#b22430", "#96202a"]);
  const gold = "#d9a93f";
  const bw = 620;
  const bh = 470;
  // The lid, leaning off to the top right.
  const lid = g(
    { transform: tr(1010, 150, 18) },
    el("rect", { x: -230, y: -170, width: 460, height: 340, rx: 10, fill: red }) +
      el("rect", { x: -210, y: -150, width: 420, height: 300, rx: 6, fill: "none", stroke: gold, "stroke-width": 6 }) +
      el("rect", { x: -196, y: -136, width: 392, height: 272, rx: 4, fill: "none", stroke: gold, "stroke-width": 2 }) +
      [0, 45, 90, 135]
        .map((a) =>
          el("ellipse", { rx: 70, ry: 22, transform: `rotate(${a})`, fill: "none", stroke: gold, "stroke-width": 4 }),
        )
        .join("") +
      el("circle", { r: 20, fill: gold }),
  );
  s.prop(() => {
    s.shadow(g({ transform: tr(1010, 150, 18) }, el("rect", { x: -230, y: -170, width: 460, height: 340 })), {
      soft: 1.2,
      contact: 0.8,
    });
    s.fg.push(lid);
    const box = el("rect", { x: -bw / 2, y: -bh / 2, width: bw, height: bh, rx: 8 });
    s.shadow(g({ transform: tr(cx, cy, angle) }, box), { soft: 1.3, contact: 1 });
    const cubes: string[] = [];
    const cols = 5;
    const rows = 4;
    const cell = 104;
    const foil = rng.pick(["#e0b43a", "#d6a836"]);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (r === rows - 1 && c >= cols - 2) continue; // a few already eaten
        cubes.push(
          foilCube(
            s,
            (c - (cols - 1) / 2) * cell,
            (r - (rows - 1) / 2) * cell,
            92,
            rng.range(-4, 4),
            (r + c) % 3 === 0 ? "#e9c95a" : foil,
          ),
        );
      }
    }
    s.fg.push(
      g(
        { transform: tr(cx, cy, angle) },
        el("rect", { x: -bw / 2, y: -bh / 2, width: bw, height: bh, rx: 8, fill: red }) +
          el("rect", {
            x: -bw / 2 + 14,
            y: -bh / 2 + 14,
            width: bw - 28,
            height: bh - 28,
            rx: 4,
            fill: darken(red, 0.35),
          }) +
          el("rect", {
            x: -bw / 2 + 5,
            y: -bh / 2 + 5,
            width: bw - 10,
            height: bh - 10,
            rx: 6,
            fill: "none",
            stroke: gold,
            "stroke-width": 3,
          }) +
          cubes.join(""),
      ),
    );
  });
  plate(s, 330, 740, 170);
  bareCube(s, 290, 720, 78);
  bareCube(s, 380, 770, 78);
  bareCube(s, 300, 810, 74);
  // A small cup of green tea.
  dipBowl(s, 930, 680, 95, "#b8a23c", false);
  lighting(s);
}

// ------------------------------------------------------------------ rice

function grains(s: Scene, cx: number, cy: number, rx: number, ry: number, n: number, size = 1): string {
  const { rng } = s;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.range(0, Math.PI * 2);
    const d = Math.sqrt(rng.next());
    const x = cx + Math.cos(a) * rx * d;
    const y = cy + Math.sin(a) * ry * d;
    const shade = 1 - d * 0.12;
    out.push(
      el("ellipse", {
        cx: x,
        cy: y,
        rx: 6.4 * size,
        ry: 3.9 * size,
        transform: `rotate(${f(rng.range(0, 180))} ${f(x)} ${f(y)})`,
        fill: darken(rng.pick(["#fbf8f0", "#f5f0e3", "#efe8d6", "#fffdf7"]), 1 - shade),
        stroke: "#d9d1bf",
        "stroke-width": 0.6,
      }),
    );
  }
  return out.join("");
}

function ricePanicle(s: Scene, x: number, y: number, angle: number, len: number) {
  const { rng } = s;
  const out: string[] = [
    el("path", {
      d: `M0 0Q${f(len * 0.5)} ${f(-len * 0.06)} ${f(len)} ${f(len * 0.12)}`,
      fill: "none",
      stroke: "#b89243",
      "stroke-width": 3,
    }),
  ];
  for (let i = 0; i < 16; i++) {
    const t = 0.35 + (i / 16) * 0.63;
    const px = len * t;
    const py = -len * 0.06 * 4 * t * (1 - t) + len * 0.12 * t * t;
    const side = i % 2 ? 1 : -1;
    const bx = px + 30;
    const by = py + side * rng.range(18, 30);
    out.push(el("line", { x1: px, y1: py, x2: bx, y2: by, stroke: "#b89243", "stroke-width": 1.4 }));
    for (let k = 0; k < 4; k++) {
      const gx = px + (bx - px) * (0.3 + k * 0.23);
      const gy = py + (by - py) * (0.3 + k * 0.23);
      out.push(
        el("ellipse", {
          cx: gx,
          cy: gy,
          rx: 7,
          ry: 3.6,
          transform: `rotate(${f(side * 25 + rng.range(-15, 15))} ${f(gx)} ${f(gy)})`,
          fill: rng.pick(["#d8b254", "#c99d3d", "#e3c16a", "#b8862e"]),
        }),
      );
    }
  }
  s.shadow(g({ transform: tr(x, y, angle) }, el("path", { d: `M0 0Q${f(len * 0.5)} 0 ${f(len)} ${f(len * 0.1)}`, stroke: "#000", "stroke-width": 30, fill: "none" })), { soft: 0.5, contact: 0.3 }); // prettier-ignore
  s.fg.push(g({ transform: tr(x, y, angle) }, out.join("")));
}

function sceneRiceBowl(s: Scene) {
  const { rng } = s;
  woodTable(s);
  burlap(s, 540, 470, 860, 700, rng.range(-8, 8));
  const cx = 500 + rng.range(-30, 30);
  const cy = 430;
  const r = 280;
  s.prop(() => {
    s.shadow(el("circle", { cx, cy, r }), { soft: 1.4, contact: 1 });
    const band: string[] = [];
    for (let a = 0; a < 360; a += 15) {
      const rad = (a * Math.PI) / 180;
      band.push(
        el("circle", {
          cx: cx + Math.cos(rad) * r * 0.93,
          cy: cy + Math.sin(rad) * r * 0.93,
          r: 6,
          fill: "none",
          stroke: "#2f5596",
          "stroke-width": 2.4,
          "stroke-opacity": 0.75,
        }),
      );
    }
    s.fg.push(
      el("circle", {
        cx,
        cy,
        r,
        fill: s.radial([
          [0, "#ffffff"],
          [0.85, "#efeae0"],
          [1, "#bdb5a5"],
        ]),
      }),
      el("circle", {
        cx,
        cy,
        r: r * 0.93,
        fill: "none",
        stroke: "#2f5596",
        "stroke-width": 16,
        "stroke-opacity": 0.12,
      }),
      band.join(""),
      el("circle", { cx, cy, r: r * 0.86, fill: "#d8d0c0" }),
      el("circle", {
        cx,
        cy,
        r: r * 0.84,
        fill: s.radial([
          [0, "#fffdf6"],
          [1, "#c9bfa9"],
        ]),
      }),
      grains(s, cx, cy, r * 0.82, r * 0.82, 950),
      // The mound catches the light in the middle.
      el("circle", {
        cx,
        cy,
        r: r * 0.84,
        fill: s.radial(
          [
            [0, "#ffffff", 0.25],
            [0.6, "#ffffff", 0],
            [1, "#5a4a30", 0.3],
          ],
          0.45,
          0.42,
          0.55,
        ),
      }),
    );
  });
  s.fg.push(grains(s, 880, 700, 120, 60, 40));
  ricePanicle(s, 760, 200, rng.range(30, 45), 380);
  ricePanicle(s, 800, 260, rng.range(45, 60), 360);
  lighting(s);
}

function sceneRiceSack(s: Scene) {
  const { rng } = s;
  tableAndWall(s, 560);
  const cx = 560 + rng.range(-30, 30);
  const top = 300;
  const bottom = 820;
  const w = 560;
  const c = rng.pick(["#b89a6a", "#a98c5e"]);
  const pattern = s.def(`sack${c}`, (id) =>
    el(
      "pattern",
      { id, width: 9, height: 9, patternUnits: "userSpaceOnUse" },
      el("rect", { width: 9, height: 9, fill: darken(c, 0.22) }) +
        el("rect", { x: 0, y: 0.6, width: 9, height: 3.4, fill: lighten(c, 0.08) }) +
        el("rect", { x: 0, y: 5.1, width: 9, height: 3.4, fill: c }) +
        el("rect", { x: 0.6, y: 0, width: 3.2, height: 4.5, fill: darken(c, 0.04) }) +
        el("rect", { x: 5.1, y: 4.5, width: 3.2, height: 4.5, fill: lighten(c, 0.03) }),
    ),
  );
  const body =
    `M${f(cx - w / 2)} ${f(top + 40)}C${f(cx - w / 2 - 40)} ${f(top + 250)} ${f(cx - w / 2 - 60)} ${f(bottom - 80)} ${f(cx - w / 2 + 10)} ${f(bottom)}` +
    `L${f(cx + w / 2 - 10)} ${f(bottom)}C${f(cx + w / 2 + 60)} ${f(bottom - 80)} ${f(cx + w / 2 + 40)} ${f(top + 250)} ${f(cx + w / 2)} ${f(top + 40)}Z`;
  const lip: Pt[] = [];
  for (let i = 0; i <= 10; i++) {
    const t = i / 10;
    lip.push([cx + w / 2 + 22 - (w + 44) * t, top + 100 + Math.sin(t * Math.PI) * 40 + rng.range(-8, 8)]);
  }
  const roll =
    `M${f(cx - w / 2 - 22)} ${f(top + 34)}A${f(w / 2 + 22)} 74 0 0 1 ${f(cx + w / 2 + 22)} ${f(top + 34)}` +
    `L${f(cx + w / 2 + 22)} ${f(top + 100)}` +
    openCurve(lip).replace(/^M[^C]*/, "") +
    "Z";
  s.soft.push(el("ellipse", { cx: cx + 60, cy: bottom, rx: w * 0.62, ry: 50 }));
  s.contact.push(el("ellipse", { cx, cy: bottom - 4, rx: w * 0.55, ry: 18 }));
  const wrinkles: string[] = [];
  for (let i = 0; i < 7; i++) {
    const x = cx + rng.range(-w * 0.4, w * 0.4);
    wrinkles.push(
      el("path", {
        d: `M${f(x)} ${f(top + rng.range(90, 200))}Q${f(x + rng.range(-40, 40))} ${f(top + 330)} ${f(x + rng.range(-30, 30))} ${f(bottom - rng.range(20, 120))}`,
        fill: "none",
        stroke: darken(c, 0.4),
        "stroke-width": rng.range(3, 7),
        "stroke-opacity": 0.3,
      }),
    );
  }
  s.fg.push(
    el("path", { d: body, fill: `url(#${pattern})` }),
    el("path", {
      d: body,
      fill: s.linear(
        [
          [0, "#1a0f05", 0.55],
          [0.35, "#fff2d8", 0.12],
          [0.6, "#000000", 0],
          [1, "#1a0f05", 0.6],
        ],
        0,
        0,
        1,
        0,
      ),
    }),
    wrinkles.join(""),
    // The rolled-down rim and the rice in the mouth of the sack.
    el("path", { d: roll, fill: `url(#${pattern})` }),
    el("path", {
      d: roll,
      fill: s.linear([
        [0, "#fff2d8", 0.18],
        [0.5, "#000000", 0],
        [1, "#1a0f05", 0.45],
      ]),
    }),
    el("ellipse", { cx, cy: top + 34, rx: w / 2 - 10, ry: 52, fill: darken(c, 0.45) }),
    el("ellipse", { cx, cy: top + 38, rx: w / 2 - 24, ry: 44, fill: "#efe9dc" }),
    grains(s, cx, top + 38, w / 2 - 30, 40, 520, 0.9),
  );
  // A bamboo measuring cup (ống đong) stuck in the rice.
  const bx = cx + 90;
  s.fg.push(
    g(
      { transform: tr(bx, top - 10, 18) },
      el("rect", {
        x: -42,
        y: -150,
        width: 84,
        height: 170,
        rx: 10,
        fill: s.linear(
          [
            [0, "#8a6a2a"],
            [0.35, "#d8b869"],
            [0.7, "#b8944a"],
            [1, "#6e5220"],
          ],
          0,
          0,
          1,
          0,
        ),
      }) +
        el("ellipse", { cy: -150, rx: 42, ry: 12, fill: "#5e451c" }) +
        el("ellipse", { cy: -150, rx: 34, ry: 8, fill: "#f2ecdf" }) +
        el("rect", { x: -42, y: -60, width: 84, height: 8, fill: "#7a5c22", "fill-opacity": 0.7 }),
    ),
  );
  s.fg.push(grains(s, cx - 330, 800, 90, 26, 60, 1.1));
  ricePanicle(s, cx + 300, 760, -20, 300);
  lighting(s, 0.8);
}

// ------------------------------------------------------------------ eggs

const HEN_EGGS = ["#e9d2b7", "#dcc0a0", "#f0e2cf", "#e3c7aa", "#d9b896"] as const;
const DUCK_EGGS = ["#e8efe9", "#dfe9e6", "#f2f4ef", "#e4ece4"] as const;

function egg(s: Scene, x: number, y: number, r: number, color: string, rot: number) {
  const { rng } = s;
  ballShadow(s, x, y, r, r * 1.22);
  const specks: string[] = [];
  for (let i = 0; i < rng.int(0, 8); i++) {
    specks.push(
      el("circle", {
        cx: rng.range(-r, r) * 0.7,
        cy: rng.range(-r, r) * 0.9,
        r: rng.range(0.6, 1.6),
        fill: darken(color, 0.35),
        "fill-opacity": 0.5,
      }),
    );
  }
  s.fg.push(
    g(
      { transform: tr(x, y, rot) },
      el("path", {
        d: `M0 ${f(-r * 1.3)}C${f(r * 0.75)} ${f(-r * 1.3)} ${f(r)} ${f(-r * 0.1)} ${f(r)} ${f(r * 0.25)}C${f(r)} ${f(r * 0.85)} ${f(r * 0.55)} ${f(r * 1.1)} 0 ${f(r * 1.1)}C${f(-r * 0.55)} ${f(r * 1.1)} ${f(-r)} ${f(r * 0.85)} ${f(-r)} ${f(r * 0.25)}C${f(-r)} ${f(-r * 0.1)} ${f(-r * 0.75)} ${f(-r * 1.3)} 0 ${f(-r * 1.3)}Z`,
        fill: s.radial(
          [
            [0, lighten(color, 0.4)],
            [0.55, color],
            [1, darken(color, 0.3)],
          ],
          0.4,
          0.38,
          0.7,
        ),
      }) +
        specks.join("") +
        el("ellipse", {
          cx: -r * 0.35,
          cy: -r * 0.55,
          rx: r * 0.25,
          ry: r * 0.14,
          transform: "rotate(-40)",
          fill: "#ffffff",
          "fill-opacity": 0.45,
        }),
    ),
  );
}

function sceneEggsTray(s: Scene) {
  const { rng } = s;
  woodTable(s);
  const cx = 600 + rng.range(-20, 20);
  const cy = 440;
  const angle = rng.range(-9, 9);
  const cols = 6;
  const rows = 5;
  const cell = 128;
  const tw = cols * cell + 30;
  const th = rows * cell + 30;
  const pulp = rng.pick(["#d8d0c2", "#cfc6b5", "#ddd4c4"]);
  // Pulp speckles as dots: a pattern under the tray's rotation would be slow to render.
  const speckles: string[] = [];
  for (let i = 0; i < 420; i++) {
    speckles.push(
      el("circle", {
        cx: rng.range(-tw / 2, tw / 2),
        cy: rng.range(-th / 2, th / 2),
        r: rng.range(0.7, 1.4),
        fill: rng.chance(0.5) ? darken(pulp, 0.22) : lighten(pulp, 0.35),
      }),
    );
  }
  const eggsAt = s.prop(() => {
    s.shadow(
      g({ transform: tr(cx, cy, angle) }, el("rect", { x: -tw / 2, y: -th / 2, width: tw, height: th, rx: 18 })),
      {
        soft: 1.2,
        contact: 1,
      },
    );
    const cups: string[] = [];
    const empty = new Set([rng.int(0, cols * rows - 1), rng.int(0, cols * rows - 1), rng.int(0, cols * rows - 1)]);
    const eggsAt: Pt[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const x = (c - (cols - 1) / 2) * cell;
        const y = (r - (rows - 1) / 2) * cell;
        cups.push(
          el("circle", {
            cx: x,
            cy: y,
            r: cell * 0.44,
            fill: s.radial([
              [0, darken(pulp, 0.3)],
              [0.7, darken(pulp, 0.12)],
              [1, lighten(pulp, 0.1)],
            ]),
          }),
        );
        if (c < cols - 1 && r < rows - 1) {
          cups.push(
            el("circle", {
              cx: x + cell / 2,
              cy: y + cell / 2,
              r: 16,
              fill: s.radial(
                [
                  [0, lighten(pulp, 0.3)],
                  [1, darken(pulp, 0.1)],
                ],
                0.4,
                0.4,
                0.6,
              ),
            }),
          );
        }
        if (!empty.has(r * cols + c)) eggsAt.push([x, y]);
      }
    }
    s.fg.push(
      g(
        { transform: tr(cx, cy, angle) },
        el("rect", { x: -tw / 2, y: -th / 2, width: tw, height: th, rx: 18, fill: pulp }) +
          speckles.join("") +
          el("rect", {
            x: -tw / 2,
            y: -th / 2,
            width: tw,
            height: th,
            rx: 18,
            fill: "none",
            stroke: darken(pulp, 0.15),
            "stroke-width": 8,
          }) +
          cups.join(""),
      ),
    );
    return eggsAt;
  });
  const rad = (angle * Math.PI) / 180;
  for (const [x, y] of eggsAt) {
    egg(
      s,
      cx + x * Math.cos(rad) - y * Math.sin(rad),
      cy + x * Math.sin(rad) + y * Math.cos(rad),
      50,
      rng.pick(HEN_EGGS),
      angle + rng.range(-20, 20),
    );
  }
  lighting(s);
}

function straw(s: Scene, cx: number, cy: number, r: number, n: number): string {
  const { rng } = s;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.range(0, Math.PI * 2);
    const d = Math.sqrt(rng.next()) * r;
    const x = cx + Math.cos(a) * d;
    const y = cy + Math.sin(a) * d;
    const b = rng.range(0, Math.PI * 2);
    const len = rng.range(40, 110);
    out.push(
      el("path", {
        d: `M${f(x)} ${f(y)}Q${f(x + Math.cos(b + 0.3) * len * 0.5)} ${f(y + Math.sin(b + 0.3) * len * 0.5)} ${f(x + Math.cos(b) * len)} ${f(y + Math.sin(b) * len)}`,
        fill: "none",
        stroke: rng.pick(["#d9b65e", "#c9a04a", "#e6c877", "#b88f3c"]),
        "stroke-width": rng.range(2, 4),
        "stroke-linecap": "round",
      }),
    );
  }
  return out.join("");
}

function sceneEggsBasket(s: Scene, colors: readonly string[], size: number) {
  const { rng } = s;
  woodTable(s);
  const cx = 590 + rng.range(-30, 30);
  const cy = 450;
  const clip = basket(s, cx, cy, 400);
  s.fg.push(g({ "clip-path": `url(#${clip})` }, straw(s, cx, cy, 380, 260)));
  const pts = scatter(rng, 26, cx, cy, 290, 270, size * 1.75).sort(byY);
  for (const [x, y] of pts) egg(s, x, y, size * rng.range(0.95, 1.05), rng.pick(colors), rng.range(-60, 60));
  s.fg.push(straw(s, 960, 780, 90, 25));
  egg(s, 1010, 760, size, rng.pick(colors), 70);
  lighting(s);
}

// ------------------------------------------------------------------ guava

function guava(s: Scene, x: number, y: number, r: number) {
  const { rng } = s;
  const color = rng.pick(["#9cc65a", "#a9cc63", "#8fbf4f", "#b5d06e"]);
  const d = `M0 ${f(-r * 1.08)}C${f(r * 0.5)} ${f(-r * 1.1)} ${f(r * 0.75)} ${f(-r * 0.6)} ${f(r * 0.9)} ${f(-r * 0.05)}C${f(r * 1.05)} ${f(r * 0.55)} ${f(r * 0.65)} ${f(r)} 0 ${f(r)}C${f(-r * 0.65)} ${f(r)} ${f(-r * 1.05)} ${f(r * 0.55)} ${f(-r * 0.9)} ${f(-r * 0.05)}C${f(-r * 0.75)} ${f(-r * 0.6)} ${f(-r * 0.5)} ${f(-r * 1.1)} 0 ${f(-r * 1.08)}Z`;
  const dots: string[] = [];
  for (let i = 0; i < 46; i++) {
    const a = rng.range(0, Math.PI * 2);
    const dd = Math.sqrt(rng.next()) * r * 0.85;
    dots.push(
      el("circle", {
        cx: Math.cos(a) * dd,
        cy: Math.sin(a) * dd,
        r: rng.range(0.8, 1.8),
        fill: darken(color, 0.4),
        "fill-opacity": 0.45,
      }),
    );
  }
  const crown: string[] = [];
  for (let k = 0; k < 5; k++) {
    const a = (k / 5) * Math.PI * 2;
    crown.push(
      el("line", {
        x1: 0,
        y1: r * 0.86,
        x2: Math.cos(a) * 9,
        y2: r * 0.86 + Math.sin(a) * 9,
        stroke: "#5a4a2a",
        "stroke-width": 3,
        "stroke-linecap": "round",
      }),
    );
  }
  const rot = rng.range(-50, 50);
  s.shadow(g({ transform: tr(x, y, rot) }, el("path", { d })));
  s.fg.push(
    g(
      { transform: tr(x, y, rot) },
      el("path", {
        d,
        fill: s.radial(
          [
            [0, lighten(color, 0.35)],
            [0.5, color],
            [1, darken(color, 0.38)],
          ],
          0.4,
          0.36,
          0.7,
        ),
      }) +
        dots.join("") +
        crown.join("") +
        el("path", { d: `M0 ${f(-r * 1.05)}L${f(rng.range(-6, 6))} ${f(-r * 1.25)}`, stroke: "#6b5a33", "stroke-width": 6, "stroke-linecap": "round" }) +
        el("ellipse", { cx: -r * 0.35, cy: -r * 0.45, rx: r * 0.3, ry: r * 0.16, transform: `rotate(-35 ${f(-r * 0.35)} ${f(-r * 0.45)})`, fill: "#ffffff", "fill-opacity": 0.4 }), // prettier-ignore
    ),
  );
}

function halvedGuava(s: Scene, x: number, y: number, r: number, pink: boolean) {
  const { rng } = s;
  const flesh = pink ? "#f28a86" : "#f8f5e6";
  const core = pink ? "#e9665f" : "#f1e8cf";
  const seeds: string[] = [];
  for (let i = 0; i < 34; i++) {
    const a = rng.range(0, Math.PI * 2);
    const d = rng.range(0.2, 0.5) * r;
    seeds.push(
      el("circle", {
        cx: Math.cos(a) * d,
        cy: Math.sin(a) * d,
        r: rng.range(2.5, 4),
        fill: pink ? "#f7c9a8" : "#e4d2a4",
      }),
    );
  }
  const rot = rng.range(0, 360);
  s.shadow(g({ transform: tr(x, y, rot) }, el("circle", { r })), { soft: 0.7, contact: 1 });
  s.fg.push(
    g(
      { transform: tr(x, y, rot) },
      el("circle", { r, fill: "#7fae43" }) +
        el("circle", {
          r: r * 0.94,
          fill: s.radial([
            [0, lighten(flesh, 0.1)],
            [0.85, flesh],
            [1, mix(flesh, "#b9d37a", 0.5)],
          ]),
        }) +
        el("path", { d: blob(rng, 0, 0, r * 0.55, r * 0.55, 0.12, 10), fill: core }) +
        seeds.join("") +
        el("ellipse", { cx: -r * 0.3, cy: -r * 0.35, rx: r * 0.35, ry: r * 0.12, transform: `rotate(-35 ${f(-r * 0.3)} ${f(-r * 0.35)})`, fill: "#ffffff", "fill-opacity": 0.35 }), // prettier-ignore
    ),
  );
}

/** A round wooden chopping board (thớt), cut across the trunk. */
function choppingBoard(s: Scene, cx: number, cy: number, r: number) {
  s.prop(() => {
    const { rng } = s;
    const c = rng.pick(["#c79a63", "#b98a55"]);
    const rings: string[] = [];
    for (let rr = 14; rr < r - 20; rr += rng.range(10, 20)) {
      rings.push(el("circle", { cx: cx + rng.range(-4, 4), cy: cy + rng.range(-4, 4), r: rr, fill: "none", stroke: darken(c, 0.2), "stroke-width": rng.range(1, 2.5), "stroke-opacity": 0.35 })); // prettier-ignore
    }
    s.shadow(el("circle", { cx, cy, r }), { soft: 1.3, contact: 1 });
    s.fg.push(
      el("circle", { cx, cy, r, fill: darken(c, 0.45) }),
      el("circle", {
        cx,
        cy,
        r: r - 16,
        fill: s.radial([
          [0, lighten(c, 0.12)],
          [1, darken(c, 0.08)],
        ]),
      }),
      rings.join(""),
    );
  });
}

function knife(s: Scene, x: number, y: number, angle: number) {
  const blade = "M0 -22L250 -22Q300 -20 320 10L0 18Z";
  s.shadow(
    g(
      { transform: tr(x, y, angle) },
      el("path", { d: blade }) + el("rect", { x: -150, y: -15, width: 150, height: 30, rx: 12 }),
    ),
  );
  s.fg.push(
    g(
      { transform: tr(x, y, angle) },
      el("path", {
        d: blade,
        fill: s.linear([
          [0, "#f2f4f6"],
          [0.5, "#b9bfc6"],
          [1, "#7d858e"],
        ]),
      }) +
        el("path", { d: "M0 15L316 8", stroke: "#ffffff", "stroke-width": 2, "stroke-opacity": 0.8 }) +
        el("rect", {
          x: -150,
          y: -15,
          width: 150,
          height: 30,
          rx: 12,
          fill: s.linear([
            [0, "#7a4a25"],
            [0.5, "#5a3518"],
            [1, "#3e2410"],
          ]),
        }) +
        el("circle", { cx: -110, r: 4, fill: "#d9d9d9" }) +
        el("circle", { cx: -45, r: 4, fill: "#d9d9d9" }),
    ),
  );
}

function sceneGuava(s: Scene, pink: boolean) {
  const { rng } = s;
  woodTable(s);
  choppingBoard(s, 820, 560, 300);
  knife(s, 760, 820, rng.range(-12, -4));
  for (let i = 0; i < 3; i++) {
    leaf(s, 250 + rng.range(-60, 60), 300 + i * 120, rng.range(190, 230), rng.range(80, 95), rng.range(-70, 20), rng.pick(["#5d8f35", "#6c9a3a", "#4f8030"]), { veins: 11, round: 0.7 }); // prettier-ignore
  }
  const pts = scatter(rng, 5, 340, 480, 230, 300, 190).sort(byY);
  for (const [x, y] of pts) guava(s, x, y, rng.range(88, 100));
  halvedGuava(s, 760, 500, 105, pink);
  halvedGuava(s, 930, 640, 100, pink);
  lighting(s);
}

// ------------------------------------------------------------------ chả rươi

function patty(s: Scene, x: number, y: number, r: number) {
  const { rng } = s;
  const d = blob(rng, 0, 0, r, r * rng.range(0.85, 1), 0.1, 14);
  const bits: string[] = [];
  for (let i = 0; i < 70; i++) {
    const a = rng.range(0, Math.PI * 2);
    const dd = Math.sqrt(rng.next()) * r * 0.9;
    const bx = Math.cos(a) * dd;
    const by = Math.sin(a) * dd;
    const kind = rng.next();
    if (kind < 0.6) {
      bits.push(el("path", { d: blob(rng, bx, by, rng.range(3, 8), rng.range(2, 6), 0.4, 6), fill: rng.pick(["#7a3f12", "#8e4d18", "#5e2f0c"]), "fill-opacity": 0.8 })); // prettier-ignore
    } else if (kind < 0.8) {
      bits.push(el("circle", { cx: bx, cy: by, r: rng.range(2, 5), fill: "#f3c46a", "fill-opacity": 0.7 }));
    } else if (kind < 0.93) {
      bits.push(el("line", { x1: bx, y1: by, x2: bx + rng.range(-10, 10), y2: by + rng.range(-10, 10), stroke: "#4f7a22", "stroke-width": 2.2, "stroke-linecap": "round" })); // prettier-ignore
    } else {
      bits.push(el("line", { x1: bx, y1: by, x2: bx + rng.range(-9, 9), y2: by + rng.range(-9, 9), stroke: "#e07a1f", "stroke-width": 2.4, "stroke-linecap": "round" })); // prettier-ignore
    }
  }
  s.shadow(g({ transform: tr(x, y) }, el("path", { d })), { soft: 0.7, contact: 1 });
  s.fg.push(
    g(
      { transform: tr(x, y) },
      el("path", {
        d,
        fill: s.radial(
          [
            [0, "#e0a44a"],
            [0.6, "#c07a2a"],
            [1, "#7e4313"],
          ],
          0.45,
          0.42,
          0.62,
        ),
      }) +
        bits.join("") +
        el("path", { d, fill: "none", stroke: "#6a3509", "stroke-width": 3, "stroke-opacity": 0.5 }) +
        el("ellipse", { cx: -r * 0.3, cy: -r * 0.35, rx: r * 0.35, ry: r * 0.15, transform: `rotate(-30 ${f(-r * 0.3)} ${f(-r * 0.35)})`, fill: "#fff3c8", "fill-opacity": 0.3 }), // prettier-ignore
    ),
  );
}

function herbSprig(s: Scene, x: number, y: number, angle: number) {
  const { rng } = s;
  const out: string[] = [el("path", { d: "M0 0Q60 -6 120 4", stroke: "#4a6e2a", "stroke-width": 3, fill: "none" })];
  for (let i = 0; i < 7; i++) {
    const t = 20 + i * 15;
    for (const side of [-1, 1]) {
      out.push(
        el("ellipse", {
          cx: t + 12,
          cy: side * 16,
          rx: 20,
          ry: 11,
          transform: `rotate(${f(side * rng.range(25, 45))} ${f(t)} 0)`,
          fill: rng.pick(["#4f8a34", "#5e9a3c", "#3f7a2c", "#6b4a6a"]),
        }),
      );
    }
  }
  s.fg.push(g({ transform: tr(x, y, angle) }, out.join("")));
}

function limeWedge(s: Scene, x: number, y: number, angle: number) {
  s.shadow(g({ transform: tr(x, y, angle) }, el("path", { d: "M-55 0A55 55 0 0 0 55 0Z" })));
  s.fg.push(
    g(
      { transform: tr(x, y, angle) },
      el("path", { d: "M-55 0A55 55 0 0 0 55 0Z", fill: "#5a9a2a" }) +
        el("path", { d: "M-48 2A48 48 0 0 0 48 2Z", fill: "#d7e89a" }) +
        [-60, -90, -120].map((a) => el("line", { x1: 0, y1: 4, x2: Math.cos((a * Math.PI) / 180) * -44, y2: -Math.sin((a * Math.PI) / 180) * 44, stroke: "#f3f8dc", "stroke-width": 2 })).join(""), // prettier-ignore
    ),
  );
}

function chiliRing(s: Scene, x: number, y: number) {
  s.fg.push(
    el("circle", { cx: x, cy: y, r: 10, fill: "#d8261b" }),
    el("circle", { cx: x, cy: y, r: 5.5, fill: "#f7e3b5" }),
  );
}

function sceneChaRuoi(s: Scene) {
  const { rng } = s;
  woodTable(s, rng.pick(["#6e4526", "#5e3b22"]));
  bananaLeaf(s, 520, 460, 1200, 640, rng.range(-30, -20));
  plate(s, 540, 450, 330);
  herbSprig(s, 330, 250, rng.range(-20, 20));
  herbSprig(s, 700, 210, rng.range(150, 190));
  const pts = scatter(rng, 6, 540, 460, 180, 160, 150).sort(byY);
  for (const [x, y] of pts) patty(s, x, y, rng.range(86, 98));
  for (let i = 0; i < 5; i++) chiliRing(s, 540 + rng.range(-200, 200), 460 + rng.range(-180, 180));
  dipBowl(s, 980, 270, 105, "#b86a22");
  limeWedge(s, 960, 620, rng.range(-30, 30));
  limeWedge(s, 1060, 700, rng.range(150, 200));
  lighting(s);
}

// ------------------------------------------------------------------ greens and winter vegetables

function greenLeafStalk(s: Scene, x: number, y: number, angle: number, len: number, width: number, color: string) {
  const { rng } = s;
  const stalk = len * 0.4;
  // A broad blade with a rounded, slightly ruffled end (cải bẹ), from the stalk's end.
  const top: Pt[] = [];
  const bottom: Pt[] = [];
  for (let i = 0; i <= 8; i++) {
    const t = i / 8;
    const bx = stalk * 0.75 + (len - stalk * 0.75) * t;
    const half = (width / 2) * Math.sin(Math.PI * (0.12 + t * 0.88)) ** 0.7 * (t > 0.3 ? rng.range(0.93, 1.05) : 1);
    top.push([bx, -half]);
    bottom.push([bx, half]);
  }
  const blade = openCurve(top) + openCurve([[len + 6, 0], ...[...bottom].reverse()]).replace(/^M/, "L") + "Z";
  const clip = s.unique((id) => el("clipPath", { id }, el("path", { d: blade })));
  const veins: string[] = [];
  for (let i = 1; i <= 6; i++) {
    const vx = stalk + ((len - stalk) * i) / 7;
    for (const side of [-1, 1]) {
      veins.push(el("path", { d: `M${f(vx)} 0Q${f(vx + 24)} ${f(side * width * 0.25)} ${f(vx + 50)} ${f(side * width * 0.6)}`, fill: "none", stroke: "#e8f2d5", "stroke-width": 1.4, "stroke-opacity": 0.35 })); // prettier-ignore
    }
  }
  const shape = `M0 ${f(-width * 0.07)}L${f(stalk)} ${f(-width * 0.1)}L${f(stalk)} ${f(width * 0.1)}L0 ${f(width * 0.07)}Z`;
  s.shadow(g({ transform: tr(x, y, angle) }, el("path", { d: blade }) + el("path", { d: shape })), {
    soft: 0.8,
    contact: 0.5,
  });
  s.fg.push(
    g(
      { transform: tr(x, y, angle) },
      el("path", {
        d: shape,
        fill: s.linear([
          [0, "#d8e8b8"],
          [0.5, "#f4f8e8"],
          [1, "#c6dca0"],
        ]),
      }) +
        el("path", {
          d: blade,
          fill: s.radial(
            [
              [0, lighten(color, 0.15)],
              [0.6, color],
              [1, darken(color, 0.3)],
            ],
            0.55,
            0.4,
            0.6,
          ),
        }) +
        g({ "clip-path": `url(#${clip})` }, veins.join("")) +
        el("path", { d: blade, fill: "none", stroke: darken(color, 0.3), "stroke-width": 1.5, "stroke-opacity": 0.5 }) +
        el("path", { d: `M${f(stalk * 0.7)} 0Q${f(len * 0.6)} ${f(rng.range(-6, 6))} ${f(len * 0.92)} 0`, fill: "none", stroke: "#e3efcc", "stroke-width": width * 0.06, "stroke-linecap": "round", "stroke-opacity": 0.85 }), // prettier-ignore
    ),
  );
}

function greensBundle(s: Scene, x: number, y: number, angle: number) {
  const { rng } = s;
  const n = rng.int(7, 9);
  for (let i = 0; i < n; i++) {
    greenLeafStalk(
      s,
      x,
      y,
      angle + rng.range(-20, 20),
      rng.range(600, 680),
      rng.range(170, 200),
      rng.pick(["#3f7f2a", "#4d8e32", "#5f9e3a", "#37752a"]),
    );
  }
  // The bundle's tie (a strip of dried banana fibre) and the cut ends.
  const rad = (angle * Math.PI) / 180;
  const tx = x + Math.cos(rad) * 90;
  const ty = y + Math.sin(rad) * 90;
  s.fg.push(
    g(
      { transform: tr(tx, ty, angle) },
      el("rect", { x: -14, y: -46, width: 28, height: 92, rx: 8, fill: "#c9a263" }) +
        el("rect", {
          x: -14,
          y: -46,
          width: 28,
          height: 92,
          rx: 8,
          fill: "none",
          stroke: "#8e6d35",
          "stroke-width": 2,
        }),
    ),
    g(
      { transform: tr(x, y, angle) },
      [-14, -5, 5, 14].map((dy) => el("ellipse", { cx: 0, cy: dy, rx: 4, ry: 6, fill: "#e6efcd", stroke: "#a7bd7a", "stroke-width": 1 })).join(""), // prettier-ignore
    ),
  );
}

function droplets(s: Scene, n: number, x0: number, y0: number, x1: number, y1: number) {
  const { rng } = s;
  for (let i = 0; i < n; i++) {
    const x = rng.range(x0, x1);
    const y = rng.range(y0, y1);
    const r = rng.range(3, 7);
    s.fg.push(
      el("ellipse", { cx: x + 1, cy: y + 1.5, rx: r, ry: r * 0.8, fill: "#000000", "fill-opacity": 0.15 }),
      el("ellipse", { cx: x, cy: y, rx: r, ry: r * 0.8, fill: "#ffffff", "fill-opacity": 0.35 }),
      el("circle", { cx: x - r * 0.3, cy: y - r * 0.3, r: r * 0.3, fill: "#ffffff", "fill-opacity": 0.9 }),
    );
  }
}

function sceneGreens(s: Scene) {
  const { rng } = s;
  woodTable(s);
  greensBundle(s, 110 + rng.range(-20, 20), 520, rng.range(-34, -26));
  greensBundle(s, 260 + rng.range(-20, 20), 850, rng.range(-26, -18));
  droplets(s, 30, 450, 120, 1100, 700);
  lighting(s);
}

function cabbageHead(s: Scene, x: number, y: number, r: number) {
  const { rng } = s;
  ballShadow(s, x, y, r * 1.1, r * 1.1, 1);
  const outer: string[] = [];
  const n = rng.int(5, 7);
  for (let i = 0; i < n; i++) {
    const a = (i / n) * 360 + rng.range(-15, 15);
    const color = rng.pick(["#6ea548", "#7fb255", "#5e9a3c"]);
    const d = `M0 0C${f(r * 0.3)} ${f(-r * 0.9)} ${f(r * 1.25)} ${f(-r * 0.75)} ${f(r * 1.18)} 0C${f(r * 1.25)} ${f(r * 0.75)} ${f(r * 0.3)} ${f(r * 0.9)} 0 0Z`;
    const veins = [-0.5, -0.25, 0, 0.25, 0.5]
      .map((t) =>
        el("path", {
          d: `M${f(r * 0.5)} 0Q${f(r * 0.8)} ${f(t * r * 0.3)} ${f(r * 1.12)} ${f(t * r * 1.1)}`,
          fill: "none",
          stroke: "#dbeec0",
          "stroke-width": 3,
          "stroke-opacity": 0.55,
        }),
      ) // prettier-ignore
      .join("");
    outer.push(
      g(
        { transform: `rotate(${f(a)})` },
        el("path", {
          d,
          fill: s.radial(
            [
              [0, lighten(color, 0.25)],
              [0.7, color],
              [1, darken(color, 0.35)],
            ],
            0.35,
            0.5,
            0.7,
          ),
        }) + veins,
      ),
    );
  }
  const folds: string[] = [];
  for (let k = 0; k < 5; k++) {
    const rr = r * (0.25 + k * 0.14);
    const a0 = rng.range(0, Math.PI * 2);
    folds.push(
      el("path", {
        d: `M${f(Math.cos(a0) * rr)} ${f(Math.sin(a0) * rr)}A${f(rr)} ${f(rr)} 0 0 1 ${f(Math.cos(a0 + 2.2) * rr)} ${f(Math.sin(a0 + 2.2) * rr)}`,
        fill: "none",
        stroke: "#f2f8e2",
        "stroke-width": 3,
        "stroke-opacity": 0.7,
      }),
      el("path", {
        d: `M${f(Math.cos(a0 + 0.05) * (rr + 4))} ${f(Math.sin(a0 + 0.05) * (rr + 4))}A${f(rr + 4)} ${f(rr + 4)} 0 0 1 ${f(Math.cos(a0 + 2.2) * (rr + 4))} ${f(Math.sin(a0 + 2.2) * (rr + 4))}`,
        fill: "none",
        stroke: "#6e9a48",
        "stroke-width": 2,
        "stroke-opacity": 0.5,
      }),
    );
  }
  s.fg.push(
    g(
      { transform: tr(x, y, rng.range(0, 360)) },
      outer.join("") +
        el("circle", {
          r: r * 0.82,
          fill: s.radial(
            [
              [0, "#eef6d8"],
              [0.7, "#c6e09a"],
              [1, "#93bd63"],
            ],
            0.42,
            0.4,
            0.6,
          ),
        }) +
        folds.join(""),
    ),
  );
}

function halvedCabbage(s: Scene, x: number, y: number, r: number) {
  const { rng } = s;
  const layers: string[] = [];
  for (let k = 0; k < 11; k++) {
    const t = 1 - k * 0.085;
    layers.push(
      el("path", {
        d: blob(rng, 0, r * 0.1 * k * 0.08, r * t, r * 0.86 * t, 0.05, 16),
        fill: "none",
        stroke: k % 2 ? "#b9d888" : "#f4f8e4",
        "stroke-width": 4,
      }),
    );
  }
  const rot = rng.range(-30, 30);
  s.shadow(g({ transform: tr(x, y, rot) }, el("ellipse", { rx: r, ry: r * 0.86 })));
  s.fg.push(
    g(
      { transform: tr(x, y, rot) },
      el("ellipse", { rx: r, ry: r * 0.86, fill: "#8fbf5c" }) +
        el("ellipse", { rx: r * 0.96, ry: r * 0.82, fill: "#eaf3d2" }) +
        layers.join("") +
        el("path", { d: `M${f(-r * 0.12)} ${f(r * 0.8)}L0 ${f(r * 0.05)}L${f(r * 0.12)} ${f(r * 0.8)}Z`, fill: "#f7f9ea", stroke: "#d3e2b0", "stroke-width": 2 }), // prettier-ignore
    ),
  );
}

function sceneCabbage(s: Scene) {
  const { rng } = s;
  woodTable(s);
  met(s, 560 + rng.range(-30, 30), 450, 470);
  cabbageHead(s, 430, 330, 175);
  cabbageHead(s, 720, 420, 165);
  halvedCabbage(s, 540, 670, 150);
  droplets(s, 14, 300, 200, 900, 700);
  lighting(s);
}

function kohlrabi(s: Scene, x: number, y: number, r: number) {
  const { rng } = s;
  const color = rng.pick(["#c4de98", "#b8d98a", "#cce3a6"]);
  // The leaves grow from the top on long stalks; most are cut off at market, one or two kept.
  for (let i = 0; i < rng.int(1, 2); i++) {
    const a = rng.range(-150, -30);
    const rad = (a * Math.PI) / 180;
    leaf(s, x + Math.cos(rad) * r * 0.9, y + Math.sin(rad) * r * 0.9, rng.range(200, 240), rng.range(95, 115), a, rng.pick(["#5f8f5a", "#6b9a66", "#557f52"]), { veins: 8, round: 0.9, shadow: 0.5 }); // prettier-ignore
  }
  ballShadow(s, x, y, r, r);
  const stalks: string[] = [];
  for (let i = 0; i < rng.int(5, 7); i++) {
    const a = rng.range(0, Math.PI * 2);
    const from = rng.range(0.2, 0.6);
    const len = rng.range(36, 62);
    const sx = Math.cos(a) * r * from;
    const sy = Math.sin(a) * r * from;
    const ex = sx + Math.cos(a + 0.4) * len;
    const ey = sy + Math.sin(a + 0.4) * len;
    stalks.push(
      // The scar where an old leaf fell, a curved stalk, and its cut end.
      el("ellipse", { cx: Math.cos(a + 2) * r * 0.7, cy: Math.sin(a + 2) * r * 0.7, rx: 7, ry: 3.5, fill: darken(color, 0.25), "fill-opacity": 0.6 }) + // prettier-ignore
        el("path", {
          d: `M${f(sx)} ${f(sy)}Q${f(sx + Math.cos(a) * len * 0.6)} ${f(sy + Math.sin(a) * len * 0.6)} ${f(ex)} ${f(ey)}`,
          fill: "none",
          stroke: darken(color, 0.15),
          "stroke-width": 11,
          "stroke-linecap": "round",
        }) + // prettier-ignore
        el("path", {
          d: `M${f(sx)} ${f(sy)}Q${f(sx + Math.cos(a) * len * 0.6)} ${f(sy + Math.sin(a) * len * 0.6)} ${f(ex)} ${f(ey)}`,
          fill: "none",
          stroke: lighten(color, 0.2),
          "stroke-width": 4,
          "stroke-linecap": "round",
          "stroke-opacity": 0.7,
        }) + // prettier-ignore
        el("circle", { cx: ex, cy: ey, r: 5.5, fill: "#eef5dc", stroke: darken(color, 0.2), "stroke-width": 1.5 }),
    );
  }
  s.fg.push(
    g(
      { transform: tr(x, y) },
      ballBody(s, r, r * 0.95, color, 0.3) +
        // A pale bloom on the skin.
        el("ellipse", {
          rx: r * 0.95,
          ry: r * 0.9,
          fill: s.radial([
            [0, "#ffffff", 0.18],
            [1, "#ffffff", 0],
          ]),
        }) + // prettier-ignore
        stalks.join(""),
    ),
  );
}

function sceneKohlrabi(s: Scene) {
  const { rng } = s;
  woodTable(s);
  met(s, 600 + rng.range(-30, 30), 470, 470);
  const pts = scatter(rng, 6, 600, 480, 280, 250, 210).sort(byY);
  for (const [x, y] of pts) kohlrabi(s, x, y, rng.range(96, 110));
  lighting(s);
}

// ------------------------------------------------------------------ jars: honey, mắm rươi

function jar(
  s: Scene,
  cx: number,
  bottom: number,
  w: number,
  h: number,
  content: [top: string, bottom: string],
  lid: "gold" | "cloth",
) {
  const top = bottom - h;
  const body = `M${f(cx - w / 2)} ${f(top + 40)}Q${f(cx - w / 2)} ${f(top + 10)} ${f(cx - w / 2 + 30)} ${f(top + 6)}L${f(cx + w / 2 - 30)} ${f(top + 6)}Q${f(cx + w / 2)} ${f(top + 10)} ${f(cx + w / 2)} ${f(top + 40)}L${f(cx + w / 2)} ${f(bottom - 24)}Q${f(cx + w / 2)} ${f(bottom)} ${f(cx + w / 2 - 30)} ${f(bottom)}L${f(cx - w / 2 + 30)} ${f(bottom)}Q${f(cx - w / 2)} ${f(bottom)} ${f(cx - w / 2)} ${f(bottom - 24)}Z`;
  s.soft.push(el("ellipse", { cx: cx + 70, cy: bottom - 4, rx: w * 0.7, ry: 36 }));
  s.contact.push(el("ellipse", { cx, cy: bottom - 2, rx: w * 0.52, ry: 12 }));
  // Light through the glass lands on the table.
  s.fg.push(
    el("ellipse", {
      cx: cx + w * 0.55,
      cy: bottom + 14,
      rx: w * 0.45,
      ry: 22,
      fill: s.radial([
        [0, content[0], 0.45],
        [1, content[0], 0],
      ]),
    }),
    el("path", {
      d: body,
      fill: s.linear(
        [
          [0, darken(content[1], 0.25)],
          [0.3, content[0]],
          [0.55, lighten(content[0], 0.15)],
          [0.8, content[1]],
          [1, darken(content[1], 0.35)],
        ],
        0,
        0,
        1,
        0,
      ),
    }),
    el("path", {
      d: body,
      fill: s.linear([
        [0, "#ffffff", 0.1],
        [0.5, "#000000", 0],
        [1, "#000000", 0.25],
      ]),
    }),
    el("rect", {
      x: cx - w / 2 + 26,
      y: top + 50,
      width: 16,
      height: h - 90,
      rx: 8,
      fill: "#ffffff",
      "fill-opacity": 0.45,
    }),
    el("rect", {
      x: cx - w / 2 + 50,
      y: top + 60,
      width: 6,
      height: h - 130,
      rx: 3,
      fill: "#ffffff",
      "fill-opacity": 0.25,
    }),
    el("rect", {
      x: cx + w / 2 - 40,
      y: top + 60,
      width: 10,
      height: h - 110,
      rx: 5,
      fill: "#ffffff",
      "fill-opacity": 0.18,
    }),
    el("path", { d: body, fill: "none", stroke: "#ffffff", "stroke-opacity": 0.35, "stroke-width": 3 }),
  );
  if (lid === "gold") {
    s.fg.push(
      el("rect", {
        x: cx - w / 2 + 14,
        y: top - 52,
        width: w - 28,
        height: 62,
        rx: 8,
        fill: s.linear(
          [
            [0, "#8a6a1f"],
            [0.3, "#f0d27a"],
            [0.55, "#c9a03e"],
            [1, "#6e5114"],
          ],
          0,
          0,
          1,
          0,
        ),
      }),
      ...Array.from(
        { length: 22 },
        (_, i) =>
        el("line", { x1: cx - w / 2 + 24 + i * ((w - 48) / 21), y1: top - 46, x2: cx - w / 2 + 24 + i * ((w - 48) / 21), y2: top + 4, stroke: "#5e4510", "stroke-width": 1.5, "stroke-opacity": 0.35 }), // prettier-ignore
      ),
    );
  } else {
    const cloth = "#b22d2d";
    s.fg.push(
      el("path", {
        d: `M${f(cx - w / 2 - 10)} ${f(top + 50)}Q${f(cx - w / 2 + 10)} ${f(top - 30)} ${f(cx)} ${f(top - 40)}Q${f(cx + w / 2 - 10)} ${f(top - 30)} ${f(cx + w / 2 + 10)} ${f(top + 50)}L${f(cx + w / 2 - 20)} ${f(top + 40)}L${f(cx)} ${f(top + 56)}L${f(cx - w / 2 + 20)} ${f(top + 40)}Z`,
        fill: s.linear(
          [
            [0, darken(cloth, 0.3)],
            [0.4, lighten(cloth, 0.15)],
            [1, darken(cloth, 0.35)],
          ],
          0,
          0,
          1,
          0,
        ),
      }),
      el("rect", { x: cx - w / 2 + 4, y: top + 14, width: w - 8, height: 10, rx: 5, fill: "#d9b66a" }),
    );
  }
}

function honeycomb(s: Scene, x: number, y: number) {
  const { rng } = s;
  const cells = s.def("hex", (id) =>
    el(
      "pattern",
      { id, width: 30, height: 52, patternUnits: "userSpaceOnUse" },
      el("rect", { width: 30, height: 52, fill: "#e9a92c" }) +
        el("path", {
          d: "M15 0L30 8.7V26L15 34.7L0 26V8.7Z M0 26L0 43.3L15 52 M30 26V43.3L15 52",
          fill: "none",
          stroke: "#f7d98a",
          "stroke-width": 3,
        }) + // prettier-ignore
        el("path", { d: "M15 4L26 10.5V24L15 30.5L4 24V10.5Z", fill: "#d08a17", "fill-opacity": 0.6 }),
    ),
  );
  const d = blob(rng, 0, 0, 150, 100, 0.12, 10);
  s.shadow(g({ transform: tr(x, y) }, el("path", { d })));
  s.fg.push(
    g(
      { transform: tr(x, y) },
      el("path", { d, fill: `url(#${cells})` }) +
        el("path", {
          d,
          fill: s.radial([
            [0, "#fff3c4", 0.3],
            [1, "#7a4a08", 0.45],
          ]),
        }),
    ),
  );
}

function dipper(s: Scene, x: number, y: number, angle: number) {
  const out: string[] = [
    el("rect", { x: 0, y: -8, width: 260, height: 16, rx: 8, fill: "#a77a48" }),
    el("ellipse", { cx: -30, rx: 48, ry: 34, fill: "#b88a55" }),
  ];
  for (let i = -3; i <= 3; i++)
    out.push(el("ellipse", { cx: -30 + i * 12, rx: 4, ry: 34 - Math.abs(i) * 5, fill: "#7a532a" }));
  out.push(el("ellipse", { cx: -30, cy: 20, rx: 40, ry: 18, fill: "#d88a18", "fill-opacity": 0.75 }));
  s.shadow(g({ transform: tr(x, y, angle) }, out.slice(0, 2).join("")));
  s.fg.push(g({ transform: tr(x, y, angle) }, out.join("")));
}

function sceneHoney(s: Scene) {
  const { rng } = s;
  tableAndWall(s, 560);
  jar(s, 450 + rng.range(-20, 20), 800, 360, 460, ["#f0a530", "#b5620f"], "gold");
  honeycomb(s, 900, 720);
  dipper(s, 780, 850, rng.range(-12, -4));
  lighting(s, 0.8);
}

function sceneMamRuoi(s: Scene) {
  const { rng } = s;
  tableAndWall(s, 540, rng.pick(["#e3cfae", "#d9c4a2"]));
  jar(s, 470 + rng.range(-20, 20), 800, 330, 400, ["#7a4a2e", "#3b2216"], "cloth");
  dipBowl(s, 890, 780, 120, "#6e4024");
  for (let i = 0; i < 3; i++) chiliRing(s, 1000 + i * 26, 840 - i * 10);
  lighting(s, 0.8);
}

// ------------------------------------------------------------------ the table of scenes

const SCENES: Record<ArtKind, (s: Scene) => void> = {
  lychee: sceneLychee,
  "lychee-box": sceneLycheeBox,
  "lychee-dried": sceneLycheeDried,
  carrot: sceneCarrot,
  "carrot-heap": sceneCarrotHeap,
  daikon: sceneDaikon,
  shallot: sceneShallot,
  garlic: sceneGarlic,
  "banh-gai": sceneBanhGai,
  "banh-dau-xanh": sceneBanhDauXanh,
  "rice-bowl": sceneRiceBowl,
  "rice-sack": sceneRiceSack,
  "eggs-tray": sceneEggsTray,
  "eggs-basket": (s) => sceneEggsBasket(s, HEN_EGGS, 44),
  "duck-eggs": (s) => sceneEggsBasket(s, DUCK_EGGS, 50),
  guava: (s) => sceneGuava(s, false),
  "guava-pink": (s) => sceneGuava(s, true),
  "cha-ruoi": sceneChaRuoi,
  greens: sceneGreens,
  cabbage: sceneCabbage,
  kohlrabi: sceneKohlrabi,
  honey: sceneHoney,
  "mam-ruoi": sceneMamRuoi,
};
