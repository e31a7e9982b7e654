import QRCode from "qrcode";
import { parseVietQr } from "./payload";

/**
 * A VietQR payload as a vector QR code (error correction M, quiet zone of 4
 * modules, like the stall QR) that prints sharp at any size. Refuses (rejects
 * with VietQrError) a string that is not a well-formed VietQR payload, so a
 * bug upstream shows up here rather than as a code every bank app rejects.
 */
export async function vietQrSvg(payload: string): Promise<string> {
  parseVietQr(payload);
  return QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
}
