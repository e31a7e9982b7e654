import QRCode from "qrcode";
import { env } from "~/utils/env.server";

/**
 * The public address of a stall, as printed in QR codes and shared on Zalo:
 * PUBLIC_URL when the deployment sets it (behind a proxy the request's own
 * origin may be internal), else the origin the request came to.
 */
export function stallUrl(request: Request, slug: string): string {
  const base = env().PUBLIC_URL ?? new URL(request.url).origin;
  return new URL(`/s/${encodeURIComponent(slug)}`, base).toString();
}

/** A vector QR code (error correction M, quiet zone of 4 modules) for printing at any size. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
}
