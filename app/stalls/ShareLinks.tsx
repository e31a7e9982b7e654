import { useId } from "react";
import { useTranslation } from "react-i18next";
import { facebookShareHref } from "./storefront";

/**
 * Ways to pass a page on. Without JavaScript: the link in a read-only box
 * (long-press, copy, paste into Zalo) and Facebook's share page. With it, a
 * "Share" button that opens the phone's own share sheet (Zalo, Messenger…)
 * where the browser has one, and a copy button. Those two are shown by
 * public/enhance.js once it knows they work (no React needed, so they work on
 * pages without framework JavaScript), after the buttons that are always
 * there, so nothing jumps.
 */
export function ShareLinks({ url, title }: { url: string; title: string }) {
  const { t } = useTranslation("common");
  const id = useId();
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
        <li className="when-can-share">
          <button type="button" className="btn" data-share-url={url} data-share-title={title}>
            {t("storefront.share.native")}
          </button>
        </li>
        <li className="when-can-copy">
          <button
            type="button"
            className="btn"
            data-copy={url}
            data-copied={t("storefront.share.copied")}
            data-copy-failed={t("storefront.share.copyFailed")}
            data-status={`${id}-status`}
          >
            {t("storefront.share.copy")}
          </button>
        </li>
      </ul>
      <p role="status" id={`${id}-status`} className="share__status" />
    </div>
  );
}
