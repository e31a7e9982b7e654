import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useHydrated } from "~/utils/use-hydrated";
import { facebookShareHref } from "./storefront";

/**
 * Ways to pass a page on. Without JavaScript: the link in a read-only box
 * (long-press, copy, paste into Zalo) and Facebook's share page. With it, a
 * "Share" button that opens the phone's own share sheet (Zalo, Messenger…)
 * where the browser has one, and a copy button. Those two only appear once
 * they work, after the buttons that are always there, so nothing jumps.
 */
export function ShareLinks({ url, title }: { url: string; title: string }) {
  const { t } = useTranslation("common");
  const id = useId();
  const hydrated = useHydrated();
  const [status, setStatus] = useState<"copied" | "copyFailed" | null>(null);
  const canShare = hydrated && typeof navigator.share === "function";
  const canCopy = hydrated && typeof navigator.clipboard?.writeText === "function";

  const share = () => {
    // Closing the share sheet rejects with AbortError: nothing to tell anyone.
    navigator.share({ title, url }).catch(() => {});
  };
  const copy = () => {
    navigator.clipboard.writeText(url).then(
      () => setStatus("copied"),
      () => setStatus("copyFailed"),
    );
  };

  return (
    <div className="share stack">
      <div className="field">
        <label htmlFor={id}>{t("storefront.share.link")}</label>
        <input
          id={id}
          type="url"
          readOnly
          value={url}
          aria-describedby={`${id}-hint`}
          onFocus={(e) => e.currentTarget.select()}
        />
        <span id={`${id}-hint`} className="field-hint">
          {t("storefront.share.hint")}
        </span>
      </div>
      <ul className="button-row list-plain share__actions">
        <li>
          <a className="btn" href={facebookShareHref(url)} target="_blank" rel="noopener noreferrer">
            {t("storefront.share.facebook")}
            <span className="visually-hidden"> {t("storefront.share.newWindow")}</span>
          </a>
        </li>
        {canShare ? (
          <li>
            <button type="button" className="btn" onClick={share}>
              {t("storefront.share.native")}
            </button>
          </li>
        ) : null}
        {canCopy ? (
          <li>
            <button type="button" className="btn" onClick={copy}>
              {t("storefront.share.copy")}
            </button>
          </li>
        ) : null}
      </ul>
      <p role="status" className="share__status">
        {status ? t(`storefront.share.${status}`) : ""}
      </p>
    </div>
  );
}
