import type { LoaderFunctionArgs } from "@remix-run/node";
import { qrSvg, stallUrl, getPublishedStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";

/** /s/:stallSlug/qr.svg — the stall's QR code, for posters, packaging and market signs. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const stall = params.stallSlug ? await getPublishedStall(db, params.stallSlug) : null;
  if (!stall) throw new Response("Not found", { status: 404 });
  const url = stallUrl(request, stall.slug);
  const svg = await qrSvg(url);
  return new Response(svg, {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Cache-Control": "public, max-age=86400",
      "Content-Disposition": `inline; filename="${stall.slug}-qr.svg"`,
    },
  });
}
