import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

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
function useDocumentNavigationWhileOffline(offline: boolean) {
  useEffect(() => {
    if (!offline) return;
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
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
  }, [offline]);
}

/**
 * The seller area's "no signal" line (ADR 031): what the farmer reads offline
 * is the page as the server made it at `renderedAt` (the last sync for a kept copy).
 */
export function OfflineBanner({ renderedAt }: { renderedAt: string }) {
  const { t } = useTranslation("offline");
  const online = useOnline();
  useDocumentNavigationWhileOffline(!online);
  if (online) return null;
  return (
    <p role="status" className="offline-banner">
      {t("app.offlineBanner", { time: formatSyncTime(renderedAt) })}
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
