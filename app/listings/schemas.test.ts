import { describe, expect, it } from "vitest";
import viListings from "~/i18n/locales/vi/listings.json";
import { MAX_CERTIFICATIONS } from "./catalog";
import {
  ListingInputSchema,
  emptyListingFormValues,
  listingFieldName,
  listingFormValues,
  parseListingForm,
  parsePriceDong,
  toListingFormValues,
  type ListingFormValues,
} from "./schemas";
import { fieldErrors } from "~/utils/forms";
import { parseWholeNumber } from "~/utils/numbers";

const valid = (): ListingFormValues => ({
  ...emptyListingFormValues(),
  title: "Vải thiều Thanh Hà",
  description: "Vải chín cây, hái sáng giao sáng.",
  category: "trai-cay",
  unit: "kg",
  price: "45000",
  stockQty: "200",
});

function errorsOf(values: Partial<ListingFormValues>) {
  const result = parseListingForm({ ...valid(), ...values });
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.data)}`);
  return result.errors;
}

function inputOf(values: Partial<ListingFormValues>) {
  const result = parseListingForm({ ...valid(), ...values });
  if (!result.ok) throw new Error(`unexpected errors ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** "errors.price.zero" → the Vietnamese message, so a missing translation fails here. */
function translated(key: string): string {
  const value = key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], viListings);
  if (typeof value !== "string") throw new Error(`no Vietnamese translation for ${key}`);
  return value;
}

describe("price in đồng", () => {
  it.each([
    ["125000", 125_000],
    ["125.000", 125_000],
    ["125 000", 125_000],
    // One way to read typed đồng everywhere (ADR 003): a comma before three digits groups thousands, as the refund field always read it.
    ["125,000", 125_000],
    ["125\u00a0000", 125_000],
    ["1.250.000", 1_250_000],
    ["  45000 ", 45_000],
    ["125.000đ", 125_000],
    ["125.000 ₫", 125_000],
    ["125000 VND", 125_000],
    ["１２５０００", 125_000],
    ["1.000.000.000", 1_000_000_000],
  ])("reads %j as %i đồng", (raw, dong) => {
    expect(parsePriceDong(raw)).toEqual({ ok: true, value: dong });
    expect(inputOf({ price: raw }).priceDong).toBe(dong);
  });

  it.each([
    ["", "errors.price.required"],
    ["-5000", "errors.price.negative"],
    ["−5.000", "errors.price.negative"],
    ["0", "errors.price.zero"],
    ["000", "errors.price.zero"],
    ["12,5", "errors.price.notInteger"],
    ["12.5", "errors.price.notInteger"],
    ["12.50", "errors.price.notInteger"],
    ["125.000,50", "errors.price.notInteger"],
    ["1.000.000.001", "errors.price.tooHigh"],
    ["99999999999999999999999", "errors.price.tooHigh"],
    ["abc", "errors.price.invalid"],
    ["125k", "errors.price.invalid"],
    ["12 5", "errors.price.invalid"],
    ["1e5", "errors.price.invalid"],
  ])("refuses %j with %s", (raw, key) => {
    expect(errorsOf({ price: raw })).toEqual({ price: key });
    expect(translated(key)).not.toBe("");
  });

  it("parses whole numbers with thousands groups, never rounding fractions", () => {
    expect(parseWholeNumber("1 000")).toEqual({ ok: true, value: 1000 });
    expect(parseWholeNumber("1.5")).toEqual({ ok: false, problem: "notInteger" });
    expect(parseWholeNumber("")).toEqual({ ok: false, problem: "empty" });
    expect(parseWholeNumber("-0")).toEqual({ ok: true, value: 0 });
  });
});

describe("the listing form", () => {
  it("turns a filled form into a listing input, text normalised", () => {
    const input = inputOf({
      title: "  Vải   thiều Thanh Hà ".normalize("NFD"),
      description: "Dòng 1\r\nDòng 2  ",
      minOrderQty: "",
    });
    expect(input).toEqual({
      title: "Vải thiều Thanh Hà",
      description: "Dòng 1\nDòng 2",
      category: "trai-cay",
      unit: "kg",
      priceDong: 45_000,
      minOrderQty: 1,
      madeToOrder: false,
      stockQty: 200,
      availableFrom: null,
      availableUntil: null,
      preorder: false,
      preorderCapacity: null,
      certifications: [],
      leadTimeDays: null,
      weightGrams: null,
      packageLengthCm: null,
      packageWidthCm: null,
      packageHeightCm: null,
    });
    expect(input.title).toBe(input.title.normalize("NFC"));
  });

  it("reads the marketplace details: optional whole numbers within range", () => {
    expect(
      inputOf({ weightGrams: "1.000", packageLengthCm: "40", packageWidthCm: "30", packageHeightCm: "25" }),
    ).toMatchObject({ weightGrams: 1000, packageLengthCm: 40, packageWidthCm: 30, packageHeightCm: 25 });
    expect(errorsOf({ weightGrams: "nửa ký" })).toEqual({ weightGrams: "errors.weightGrams.invalid" });
    expect(errorsOf({ weightGrams: "0" })).toEqual({ weightGrams: "errors.weightGrams.min" });
    expect(errorsOf({ weightGrams: "2,5" })).toEqual({ weightGrams: "errors.weightGrams.invalid" });
    expect(errorsOf({ packageHeightCm: "301" })).toEqual({ packageHeightCm: "errors.packageHeightCm.tooHigh" });
    expect(errorsOf({ leadTimeDays: "-1" })).toEqual({ leadTimeDays: "errors.leadTimeDays.min" });
  });

  it("keeps a lead time only for goods made to order", () => {
    expect(inputOf({ madeToOrder: "on", leadTimeDays: "3" }).leadTimeDays).toBe(3);
    expect(inputOf({ madeToOrder: "on", leadTimeDays: "0" }).leadTimeDays).toBe(0);
    expect(inputOf({ leadTimeDays: "3" }).leadTimeDays).toBeNull();
  });

  it("checks title, description, category and unit", () => {
    expect(errorsOf({ title: "" })).toEqual({ title: "errors.title.required" });
    expect(errorsOf({ title: " V " })).toEqual({ title: "errors.title.tooShort" });
    expect(errorsOf({ title: "V".repeat(121) })).toEqual({ title: "errors.title.tooLong" });
    expect(errorsOf({ title: "!!!" })).toEqual({ title: "errors.title.invalid" });
    expect(errorsOf({ description: "x".repeat(2001) })).toEqual({ description: "errors.description.tooLong" });
    expect(errorsOf({ category: "" })).toEqual({ category: "errors.category.required" });
    expect(errorsOf({ category: "do-choi" })).toEqual({ category: "errors.category.invalid" });
    expect(errorsOf({ unit: "" })).toEqual({ unit: "errors.unit.required" });
    expect(errorsOf({ unit: "pound" })).toEqual({ unit: "errors.unit.invalid" });
  });

  it("needs stock unless made to order, and then counts none", () => {
    expect(errorsOf({ stockQty: "" })).toEqual({ stockQty: "errors.stockQty.required" });
    expect(errorsOf({ stockQty: "-1" })).toEqual({ stockQty: "errors.stockQty.negative" });
    expect(errorsOf({ stockQty: "2,5" })).toEqual({ stockQty: "errors.stockQty.invalid" });
    expect(errorsOf({ stockQty: "2000000" })).toEqual({ stockQty: "errors.stockQty.tooHigh" });
    expect(inputOf({ stockQty: "0" }).stockQty).toBe(0);
    expect(inputOf({ stockQty: "1.000" }).stockQty).toBe(1000);
    const mto = inputOf({ madeToOrder: "on", stockQty: "" });
    expect(mto).toMatchObject({ madeToOrder: true, stockQty: 0 });
    // Whatever is left in the hidden stock box is ignored.
    expect(inputOf({ madeToOrder: "on", stockQty: "abc" }).stockQty).toBe(0);
  });

  it("checks the minimum order", () => {
    expect(inputOf({ minOrderQty: "5" }).minOrderQty).toBe(5);
    expect(errorsOf({ minOrderQty: "0" })).toEqual({ minOrderQty: "errors.minOrderQty.min" });
    expect(errorsOf({ minOrderQty: "-2" })).toEqual({ minOrderQty: "errors.minOrderQty.min" });
    expect(errorsOf({ minOrderQty: "1,5" })).toEqual({ minOrderQty: "errors.minOrderQty.invalid" });
  });

  it("checks the harvest window", () => {
    expect(inputOf({ availableFrom: "2026-06-05", availableUntil: "2026-07-05" })).toMatchObject({
      availableFrom: "2026-06-05",
      availableUntil: "2026-07-05",
    });
    expect(inputOf({ availableFrom: "2026-06-05", availableUntil: "2026-06-05" }).availableUntil).toBe("2026-06-05");
    expect(errorsOf({ availableFrom: "2026-07-05", availableUntil: "2026-06-05" })).toEqual({
      availableUntil: "errors.availableUntil.beforeFrom",
    });
    expect(errorsOf({ availableFrom: "2026-02-30" })).toEqual({ availableFrom: "errors.availableFrom.invalid" });
    expect(errorsOf({ availableUntil: "05/06/2026" })).toEqual({ availableUntil: "errors.availableUntil.invalid" });
  });

  it("needs a capacity and a start date for pre-orders", () => {
    expect(errorsOf({ preorder: "on", availableFrom: "2026-06-05" })).toEqual({
      preorderCapacity: "errors.preorderCapacity.required",
    });
    expect(errorsOf({ preorder: "on", preorderCapacity: "0", availableFrom: "2026-06-05" })).toEqual({
      preorderCapacity: "errors.preorderCapacity.min",
    });
    expect(errorsOf({ preorder: "on", preorderCapacity: "500" })).toEqual({
      availableFrom: "errors.availableFrom.requiredForPreorder",
    });
    expect(inputOf({ preorder: "on", preorderCapacity: "500", availableFrom: "2026-06-05" })).toMatchObject({
      preorder: true,
      preorderCapacity: 500,
    });
    // Without the box ticked, a leftover capacity is dropped.
    expect(inputOf({ preorderCapacity: "500" }).preorderCapacity).toBeNull();
  });

  it("shows every problem of the form at once", () => {
    expect(
      errorsOf({
        title: "",
        price: "12,5",
        unit: "pound",
        stockQty: "",
        availableFrom: "2026-07-05",
        availableUntil: "2026-06-05",
      }),
    ).toEqual({
      title: "errors.title.required",
      price: "errors.price.notInteger",
      unit: "errors.unit.invalid",
      stockQty: "errors.stockQty.required",
      availableUntil: "errors.availableUntil.beforeFrom",
    });
  });
});

describe("certifications", () => {
  const cert = (fields: Record<string, string>) => {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(valid())) if (typeof v === "string") form.set(k, v);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return form;
  };

  it("reads cert[i].* rows from a form, skipping unused ones", () => {
    const result = parseListingForm(
      cert({
        "cert[0].type": "ocop",
        "cert[0].number": " 123/QĐ-UBND ",
        "cert[0].issuer": "UBND thành phố Hải Phòng",
        "cert[0].stars": "4",
        "cert[0].validFrom": "2024-06-01",
        "cert[0].validUntil": "2027-05-31",
        // An untouched "add another" row: only its select has a value.
        "cert[1].type": "vietgap",
        "cert[3].type": "vietgap",
        "cert[3].number": "VietGAP-TT-19-03-30-0042",
        "cert[3].validUntil": "2027-12-31",
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.certifications).toEqual([
      {
        type: "ocop",
        number: "123/QĐ-UBND",
        issuer: "UBND thành phố Hải Phòng",
        ocopStars: 4,
        validFrom: "2024-06-01",
        validUntil: "2027-05-31",
      },
      {
        type: "vietgap",
        number: "VietGAP-TT-19-03-30-0042",
        issuer: "",
        ocopStars: null,
        validFrom: null,
        validUntil: "2027-12-31",
      },
    ]);
  });

  it("needs 3–5 stars for OCOP and none for the others, a number and an expiry", () => {
    const errors = (fields: Record<string, string>) => {
      const result = parseListingForm(cert(fields));
      return result.ok ? {} : result.errors;
    };
    expect(errors({ "cert[0].type": "ocop", "cert[0].number": "1", "cert[0].validUntil": "2027-01-01" })).toEqual({
      "cert[0].stars": "errors.cert.stars.required",
    });
    expect(
      errors({
        "cert[0].type": "ocop",
        "cert[0].number": "1",
        "cert[0].stars": "2",
        "cert[0].validUntil": "2027-01-01",
      }),
    ).toEqual({ "cert[0].stars": "errors.cert.stars.invalid" });
    expect(
      errors({
        "cert[2].type": "vietgap",
        "cert[2].number": "1",
        "cert[2].stars": "4",
        "cert[2].validUntil": "2027-01-01",
      }),
    ).toEqual({ "cert[2].stars": "errors.cert.stars.notOcop" });
    expect(errors({ "cert[0].type": "organic", "cert[0].issuer": "Cục Trồng trọt" })).toEqual({
      "cert[0].number": "errors.cert.number.required",
      "cert[0].validUntil": "errors.cert.validUntil.required",
    });
    expect(
      errors({ "cert[0].type": "tieu-chuan-la", "cert[0].number": "1", "cert[0].validUntil": "2027-01-01" }),
    ).toEqual({ "cert[0].type": "errors.cert.type.invalid" });
    expect(errors({ "cert[0].number": "1", "cert[0].validUntil": "2027-01-01" })).toEqual({
      "cert[0].type": "errors.cert.type.required",
    });
    expect(
      errors({
        "cert[0].type": "globalgap",
        "cert[0].number": "4063061000000",
        "cert[0].validFrom": "2027-01-01",
        "cert[0].validUntil": "2026-01-01",
      }),
    ).toEqual({ "cert[0].validUntil": "errors.cert.validUntil.beforeFrom" });
  });

  it(`allows at most ${MAX_CERTIFICATIONS}`, () => {
    const fields: Record<string, string> = {};
    for (let i = 0; i <= MAX_CERTIFICATIONS; i++) {
      fields[`cert[${i}].type`] = "vietgap";
      fields[`cert[${i}].number`] = `VG-${i}`;
      fields[`cert[${i}].validUntil`] = "2027-01-01";
    }
    const result = parseListingForm(cert(fields));
    expect(result.ok ? {} : result.errors).toEqual({ certifications: "errors.certifications.tooMany" });
  });
});

describe("helpers", () => {
  it("reads only the form's own text fields", () => {
    const form = new FormData();
    form.set("title", "Cà rốt");
    form.set("price", new Blob(["x"]), "x.txt");
    form.set("cert[99].number", "far away");
    const values = listingFormValues(form);
    expect(values.title).toBe("Cà rốt");
    expect(values.price).toBe("");
    expect(values.certifications).toEqual([]);
  });

  it("round-trips a listing through the edit form", () => {
    const input = inputOf({
      madeToOrder: "on",
      preorder: "on",
      preorderCapacity: "50",
      availableFrom: "2026-06-01",
      leadTimeDays: "2",
      weightGrams: "300",
      packageLengthCm: "20",
      packageWidthCm: "15",
      packageHeightCm: "10",
    });
    expect(inputOf(toListingFormValues(input))).toEqual(input);
  });

  it("maps issues to field names", () => {
    expect(
      fieldErrors(
        [
          { path: ["price"], message: "errors.price.zero" },
          { path: ["price"], message: "errors.price.tooHigh" },
          { path: ["certifications", 2, "number"], message: "errors.cert.number.required" },
          { path: [], message: "errors.form" },
        ],
        listingFieldName,
      ),
    ).toEqual({ price: "errors.price.zero", "cert[2].number": "errors.cert.number.required", form: "errors.form" });
  });

  it("checks a ListingInput on the server side with the same keys", () => {
    const input = inputOf({});
    expect(ListingInputSchema.safeParse(input).success).toBe(true);
    const bad = ListingInputSchema.safeParse({ ...input, priceDong: 12.5, unit: "pound", title: " x" });
    expect(bad.success).toBe(false);
    expect(fieldErrors(bad.error!.issues, listingFieldName)).toEqual({
      price: "errors.price.notInteger",
      unit: "errors.unit.invalid",
      title: "errors.title.tooShort",
    });
    const ocop = ListingInputSchema.safeParse({
      ...input,
      certifications: [
        { type: "ocop", number: "OCOP-1", issuer: "", ocopStars: 2, validFrom: null, validUntil: "2027-01-01" },
      ],
    });
    expect(fieldErrors(ocop.error!.issues, listingFieldName)).toEqual({ "cert[0].stars": "errors.cert.stars.invalid" });
  });
});

describe("a listing's id chosen on the phone", () => {
  it("is optional, taken when it is a UUID, refused otherwise", () => {
    expect(inputOf({})).not.toHaveProperty("id");
    expect(inputOf({ id: "" })).not.toHaveProperty("id");
    const id = "0b9e3c1a-5d2f-4e8a-9c7b-1f2e3d4c5b6a";
    expect(inputOf({ id: id.toUpperCase() }).id).toBe(id);
    expect(errorsOf({ id: "not-a-uuid" })).toMatchObject({ id: "errors.id.invalid" });
    expect(translated("errors.id.invalid")).toMatch(/không hợp lệ/);
  });
});
