import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { tellWorkerTheUser } from "./register";

/** A page older than this when it is shown came from the phone's copy (the network was too slow): say so. */
const STALE_AFTER_MS = 5 * 60 * 1000;

/** "14:05 07/12": the time in Vietnam, as the farmer reads a clock and a date. */
export function formatSyncTime(iso: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Ho_Chi_Minh",
      hour: "2-digit",
      minute: "2-digit",
      day: "2-digit",
      month: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.hour}:${parts.minute} ${parts.day}/${parts.month}`;
}

/** Whether the phone has signal, as the browser knows it (always "yes" on the server and before hydration). */
function useOnline() {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    update();
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return online;
}

/**
 * Without signal, a link to a seller page opens it as a whole page, which
 * the worker answers from its copy (or the offline page); a client navigation
 * would ask for data the phone may not have.
 */
function useDocumentNavigationWhileOffline() {
  useEffect(() => {
    // Listening all along and asking at the click: a click right after the page hydrates comes before
    // any state saying "offline" could.
    const onClick = (event: MouseEvent) => {
      if (
        navigator.onLine ||
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey
      )
        return;
      const link = (event.target as Element | null)?.closest?.("a[href]");
      if (
        !(link instanceof HTMLAnchorElement) ||
        (link.target && link.target !== "_self") ||
        link.hasAttribute("download")
      )
        return;
      const url = new URL(link.href);
      if (url.origin !== location.origin) return;
      event.preventDefault();
      event.stopPropagation();
      location.assign(url.href);
    };
    window.addEventListener("click", onClick, true);
    return () => window.removeEventListener("click", onClick, true);
  }, []);
}

/**
 * The seller area's "no signal" line (ADR 031): what the farmer reads offline
 * is the page as the server made it at `renderedAt` (the last sync for a kept
 * copy). Online, a copy the worker fell back to on a too-slow network says its
 * time too. Also tells the worker whose page this is (`userId`).
 */
export function OfflineBanner({ renderedAt, userId }: { renderedAt: string; userId: string | null }) {
  const { t } = useTranslation("offline");
  const online = useOnline();
  const [stale, setStale] = useState(false);
  useEffect(() => setStale(Date.now() - Date.parse(renderedAt) > STALE_AFTER_MS), [renderedAt]);
  useEffect(() => {
    if (userId) tellWorkerTheUser(userId);
  }, [userId]);
  useDocumentNavigationWhileOffline();
  if (online && !stale) return null;
  const time = formatSyncTime(renderedAt);
  return (
    <p role="status" className="offline-banner">
      {online ? t("app.staleBanner", { time }) : t("app.offlineBanner", { time })}
    </p>
  );
}

/** A new version of the app has taken over: the farmer may reload when it suits them. */
export function UpdateNotice() {
  const { t } = useTranslation("offline");
  return (
    <p role="status" className="notice update-notice">
      {t("app.updated")}{" "}
      <button type="button" className="btn-link" onClick={() => location.reload()}>
        {t("app.reload")}
      </button>
    </p>
  );
}
