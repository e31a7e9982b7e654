import { useEffect, useState } from "react";
import { registerSellerApp } from "./register";

/**
 * The dashboard's part in the seller app (ADR 031): registers the worker once
 * the page is idle, for this user; says when a new version has taken over
 * (which waits until the queue has nothing waiting or in flight).
 */
export function useSellerApp(userId: string | null | undefined) {
  const [updated, setUpdated] = useState(false);
  useEffect(() => {
    if (!userId) return;
    return registerSellerApp({ userId, onUpdated: () => setUpdated(true) });
  }, [userId]);
  return { updated };
}
