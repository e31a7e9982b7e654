import type { LoaderFunctionArgs } from "@remix-run/node";
import { isLanguage } from "~/i18n";
import { resources, resourcesVersion } from "~/i18n/index.server";

/**
 * One translation namespace for the browser. The URL carries ?v=<content hash>,
 * so a matching request can be cached for a year; anything else briefly.
 */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const { lng, ns } = params;
  if (!isLanguage(lng)) throw new Response("Unknown language", { status: 404 });
  const namespaces = resources[lng] as Record<string, unknown>;
  if (!ns || !Object.hasOwn(namespaces, ns)) throw new Response("Unknown namespace", { status: 404 });
  const versioned = new URL(request.url).searchParams.get("v") === resourcesVersion;
  return Response.json(namespaces[ns], {
    headers: {
      "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "public, max-age=300",
    },
  });
}
