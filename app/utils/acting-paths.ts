/**
 * Where an officer acting for a household works: the farmer's own screens
 * (the wizard under /setup, the dashboard under /seller) mounted again under
 * /officer/h/:householdId (remix.config.js), so the URL names the household
 * and two tabs never mix households. Browser-safe.
 *
 * Seller and wizard pages link and redirect through `actingPath`, so the same
 * page keeps the officer under the household's prefix and the farmer at
 * /seller.
 */
import { useParams } from "@remix-run/react";

export const ACTING_PREFIX = "/officer/h/";

const ACTING = /^\/officer\/h\/([^/.]+)(?=[/.]|$)/;

/** The household id an /officer/h/:householdId/… path names, or null for the farmer's own paths. */
export function actingHouseholdIdOf(pathname: string): string | null {
  return ACTING.exec(pathname)?.[1] ?? null;
}

/** "/officer/h/<id>" for an officer acting for that household, "" for the farmer. */
export const actingBase = (householdId: string | null | undefined) =>
  householdId ? `${ACTING_PREFIX}${householdId}` : "";

/** A seller or wizard path (`/seller/listings`) as seen by whoever is acting: the farmer, or an officer for one household. */
export const actingPath = (householdId: string | null | undefined, path: string) => `${actingBase(householdId)}${path}`;

/** The same, from a request (loaders and actions redirect with it). */
export const actingPathFor = (request: Request, path: string) =>
  actingPath(actingHouseholdIdOf(new URL(request.url).pathname), path);

/** `actingPath` for the page being drawn: `const to = useActingPath(); <Link to={to("/seller/orders")}>`. */
export function useActingPath(): (path: string) => string {
  const { householdId } = useParams();
  return (path) => actingPath(householdId, path);
}
