/**
 * Reading the feeds back the way a marketplace would, each with another
 * library than the one that wrote it: Google's XML with fast-xml-parser
 * (well-formedness, then the items) and with libxml2 (xmllint-wasm) against
 * the XSD in tests/fixtures/exports; CSV and TSV with csv-parse, whose
 * `columns: true` throws on a line with another number of cells; products.json
 * with ajv against the JSON Schema in tests/fixtures/exports.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { validateXML } from "xmllint-wasm";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/exports");
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");

// ---------------------------------------------------------------- XML

/** Problems libxml2 finds against google-feed.xsd (with the g: schema it imports); [] when valid. */
export async function xsdProblems(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: "feed.xml", contents: xml }],
    schema: [{ fileName: "google-feed.xsd", contents: read("google-feed.xsd") }],
    preload: [{ fileName: "google-feed-g.xsd", contents: read("google-feed-g.xsd") }],
  });
  return result.valid ? [] : result.errors.map((e) => e.message);
}

export type GoogleXmlItem = Record<string, string | string[]>;

export interface GoogleXmlFeed {
  channel: { title: string; link: string; description: string };
  items: GoogleXmlItem[];
}

/** The feed parsed by fast-xml-parser, after its validator says it is well-formed XML; text kept exactly. */
export function parseGoogleXml(xml: string): GoogleXmlFeed {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => name === "item" || name === "g:additional_image_link",
  });
  const doc = parser.parse(xml) as {
    rss: { "@_version": string; "@_xmlns:g": string; channel: GoogleXmlFeed["channel"] & { item?: GoogleXmlItem[] } };
  };
  if (doc.rss["@_version"] !== "2.0" || doc.rss["@_xmlns:g"] !== "http://base.google.com/ns/1.0") {
    throw new Error("not an RSS 2.0 feed with the g: namespace");
  }
  const { item = [], title, link, description } = doc.rss.channel;
  return {
    channel: { title, link, description },
    // "g:id" → "id": the attribute names as Google's specification writes them.
    items: item.map((element) =>
      Object.fromEntries(Object.entries(element).map(([name, value]) => [name.replace(/^g:/, ""), value])),
    ),
  };
}

// ---------------------------------------------------------------- CSV, TSV

export interface CsvFile {
  header: string[];
  records: Record<string, string>[];
}

/** A CSV (or TSV) file as csv-parse reads it: the header line and one record per line, every line as wide. */
export function parseCsv(text: string, delimiter: "," | "\t" = ","): CsvFile {
  const [header = []] = parse(text, { delimiter, to_line: 1 }) as string[][];
  const records = parse(text, { delimiter, columns: true, relax_column_count: false }) as Record<string, string>[];
  return { header, records };
}

// ---------------------------------------------------------------- JSON

let ajvValidate: ReturnType<Ajv["compile"]> | undefined;

/** Problems ajv finds against products.schema.json; [] when valid. */
export function productsJsonProblems(document: unknown): string[] {
  if (!ajvValidate) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    ajvValidate = ajv.compile(JSON.parse(read("products.schema.json")));
  }
  return ajvValidate(document) ? [] : (ajvValidate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
