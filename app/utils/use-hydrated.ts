import { useEffect, useState } from "react";

/**
 * False on the server and during hydration, true once React runs in the
 * browser: for parts that only make sense with JavaScript (live filtering,
 * hiding fields a checkbox controls) while the server-rendered page still
 * works without it.
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
