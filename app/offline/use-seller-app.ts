import { useEffect, useState } from "react";
import { registerSellerApp, type RegisterOptions } from "./register";

/**
 * The dashboard's part in the seller app (ADR 031): registers the worker once
 * the page is idle, for this user; says when a new version has taken over.
 */
export function useSellerApp(userId: string | null | undefined, canTakeOver?: RegisterOptions["canTakeOver"]) {
  const [updated, setUpdated] = useState(false);
  useEffect(() => {
    if (!userId) return;
    return registerSellerApp({ userId, canTakeOver, onUpdated: () => setUpdated(true) });
  }, [userId, canTakeOver]);
  return { updated };
}
