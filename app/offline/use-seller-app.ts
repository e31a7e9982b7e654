import { useEffect, useRef, useState } from "react";
import { registerSellerApp, type RegisterOptions } from "./register";

/**
 * The dashboard's part in the seller app (ADR 031): registers the worker once
 * the page is idle, for this user; says when a new version has taken over.
 * `canTakeOver` (the queue's "nothing in flight") is read when asked, so an
 * inline function does not register again on every render.
 */
export function useSellerApp(userId: string | null | undefined, canTakeOver?: RegisterOptions["canTakeOver"]) {
  const [updated, setUpdated] = useState(false);
  const mayTakeOver = useRef(canTakeOver);
  mayTakeOver.current = canTakeOver;
  useEffect(() => {
    if (!userId) return;
    return registerSellerApp({
      userId,
      canTakeOver: () => mayTakeOver.current?.() ?? Promise.resolve(true),
      onUpdated: () => setUpdated(true),
    });
  }, [userId]);
  return { updated };
}
