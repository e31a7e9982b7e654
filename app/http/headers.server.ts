/**
 * The response headers of a careful shop (helmet, configured for this app):
 * - a Content-Security-Policy with a fresh nonce per request for the scripts
 *   Remix inlines (entry.server.tsx and root.tsx pass it on), no
 *   'strict-dynamic'; images from here, data: URLs (placeholders), blob:
 *   (the uploader's previews) and the S3 public origin; inline style
 *   attributes (photo placeholders) but no inline style elements; forms may
 *   post here and be redirected to VNPay's and Stripe's pages; no framing;
 * - upgrade-insecure-requests and HSTS only where the deployment is on
 *   HTTPS (Secure cookies; a request that arrived over HTTPS): a plain-HTTP
 *   server on a LAN must keep working;
 * - a strict Referrer-Policy and a Permissions-Policy that turns off what
 *   the shop never uses (a photo from the camera goes through the file
 *   picker, which needs no permission);
 * - on scripts, stylesheets and photos, only what applies to them (nosniff,
 *   Cross-Origin-Resource-Policy, Referrer-Policy, HSTS): the policies of a
 *   document mean nothing there, and on slow 3G their kilobyte on every
 *   photo of a page adds up. SVG, HTML and anything else keep them all.
 */
import { randomBytes } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import helmet from "helmet";
import { env } from "~/utils/env.server";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      cspNonce?: string;
    }
  }
}

const PERMISSIONS_POLICY = [
  "camera=()",
  "microphone=()",
  "geolocation=()",
  "payment=()",
  "usb=()",
  "serial=()",
  "bluetooth=()",
  "midi=()",
  "magnetometer=()",
  "gyroscope=()",
  "accelerometer=()",
  "display-capture=()",
  "browsing-topics=()",
].join(", ");

const originOf = (url: string | undefined) => (url ? [new URL(url).origin] : []);

/** Where a form may go: here, and the payment pages a no-JavaScript checkout is redirected to. */
export function formActionSources(): string[] {
  const { VNPAY_TMN_CODE, VNPAY_PAY_URL, STRIPE_SECRET_KEY, STRIPE_API_BASE } = env();
  return [
    "'self'",
    ...(VNPAY_TMN_CODE ? originOf(VNPAY_PAY_URL) : []),
    ...(STRIPE_SECRET_KEY ? ["https://checkout.stripe.com", "https://connect.stripe.com"] : []),
    // A local Stripe double (tests) hands out its own Checkout URLs.
    ...(STRIPE_SECRET_KEY ? originOf(STRIPE_API_BASE) : []),
  ];
}

/** Headers that only mean something on a document (or an SVG, which can be one). */
const DOCUMENT_ONLY = [
  "Content-Security-Policy",
  "Permissions-Policy",
  "X-Frame-Options",
  "Cross-Origin-Opener-Policy",
  "Origin-Agent-Cluster",
  "X-DNS-Prefetch-Control",
  "X-Download-Options",
  "X-Permitted-Cross-Domain-Policies",
  "X-XSS-Protection",
];

/** Subresources that are never a document: the build's scripts and stylesheets, raster photos. */
const SUBRESOURCE = /^\s*(text\/css|(text|application)\/javascript|image\/(avif|webp|jpeg|png|gif))\s*(;|$)/i;

/** Drops the document-only headers from a response that turns out to be a script, stylesheet or photo. */
function subresourceHeaders(_req: Request, res: Response, next: NextFunction) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
    if (SUBRESOURCE.test(String(res.getHeader("Content-Type") ?? ""))) {
      for (const name of DOCUMENT_ONLY) res.removeHeader(name);
    }
    return writeHead.apply(this, args);
  } as Response["writeHead"];
  next();
}

export function securityHeaders(): RequestHandler[] {
  const { COOKIE_SECURE, S3_PUBLIC_URL, NODE_ENV } = env();
  const nonce = (_req: unknown, res: unknown) => `'nonce-${(res as Response).locals.cspNonce}'`;
  const csp = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      scriptSrc: ["'self'", nonce],
      styleSrc: ["'self'"],
      styleSrcAttr: ["'unsafe-inline'"],
      imgSrc: ["'self'", "data:", "blob:", ...originOf(S3_PUBLIC_URL)],
      fontSrc: ["'self'"],
      connectSrc: ["'self'", ...(NODE_ENV === "development" ? ["ws:"] : [])],
      formAction: formActionSources(),
      frameAncestors: ["'none'"],
      frameSrc: ["'none'"],
      objectSrc: ["'none'"],
      workerSrc: ["'self'"],
      manifestSrc: ["'self'"],
      ...(COOKIE_SECURE ? { upgradeInsecureRequests: [] } : {}),
    },
  });
  const others = helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: false,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    xFrameOptions: { action: "deny" },
    crossOriginResourcePolicy: false,
  });
  return [
    (_req: Request, res: Response, next: NextFunction) => {
      res.locals.cspNonce = randomBytes(16).toString("base64");
      next();
    },
    csp,
    others,
    (req: Request, res: Response, next: NextFunction) => {
      res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
      // Photos and the QR code may be shown by other sites (marketplaces, chat previews); pages may not.
      const shareable = req.path.startsWith("/media/") || req.path.endsWith("/qr.svg");
      res.setHeader("Cross-Origin-Resource-Policy", shareable ? "cross-origin" : "same-origin");
      if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
      next();
    },
    subresourceHeaders,
  ];
}
