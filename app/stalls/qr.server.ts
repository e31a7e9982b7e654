import QRCode from "qrcode";
import { env } from "~/utils/env.server";

/**
 * The public address of a stall, as printed in QR codes and shared on Zalo:
 * PUBLIC_URL when the deployment sets it (behind a proxy the request's own
 * origin may be internal), else the origin the request came to.
 */
export function stallUrl(request: Request, slug: string): string {
  return new URL(`/s/${encodeURIComponent(slug)}`, publicOrigin(request)).toString();
}

/** PUBLIC_URL's origin, else the request's: what links shared outside the app start with. */
export function publicOrigin(request: Request): string {
  return new URL(env().PUBLIC_URL ?? request.url).origin;
}

/** A vector QR code (error correction M, quiet zone of 4 modules) for printing at any size. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
}
