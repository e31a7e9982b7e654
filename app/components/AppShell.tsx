import { Form, Link, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { SessionUser } from "~/auth/index.server";
import type { Toast } from "~/utils/toast.server";
import { supportedLanguages } from "~/i18n";
import { LogoutForm } from "~/offline/LogoutForm";

/** Header (brand, search, language, account), the page, and a small footer. */
export function AppShell({
  user,
  toast = null,
  cartCount = 0,
  children,
}: {
  user: SessionUser | null;
  toast?: Toast | null;
  /** Lines in the visitor's cart (root loader). */
  cartCount?: number;
  children: React.ReactNode;
}) {
  const { t } = useTranslation("common");
  const { pathname } = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("shell.skipToContent")}
      </a>
      <header className="site-header">
        <div className="site-header__top">
          <Link to="/" className="brand" aria-label={t("shell.homeLink")}>
            <svg className="brand__mark" viewBox="0 0 64 64" width="28" height="28" aria-hidden="true">
              <rect width="64" height="64" rx="14" fill="#fff" />
              <path
                d="M32 12c-6 8-6 16 0 24 6-8 6-16 0-24zM18 24c0 9 5 15 14 16-1-9-5-15-14-16zm28 0c-9 1-13 7-14 16 9-1 14-7 14-16zM31 38h2v16h-2z"
                fill="#1f6f3b"
              />
            </svg>
            {/* The full name where the header has room; its initials on a narrow phone (app.css), never cut off. */}
            <span className="brand__name">Gian Hàng Số</span>
            <span className="brand__short" aria-hidden="true">
              GHS
            </span>
          </Link>
          <div className="site-header__actions">
            <LanguageSwitch />
            {/* An icon with the count: the header's one row must fit a 360 px phone. */}
            <Link to="/cart" className="btn btn-small cart-link" aria-label={t("shell.cart", { count: cartCount })}>
              <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                <path
                  d="M3 4h2l2.4 10.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.7L21 8H6.2M9 20a1.5 1.5 0 1 0 0-.01M17 20a1.5 1.5 0 1 0 0-.01"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="2"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                />
              </svg>
              {cartCount > 0 ? (
                <span className="cart-link__count" aria-hidden="true">
                  {cartCount}
                </span>
              ) : null}
            </Link>
            <AccountMenu user={user} />
          </div>
        </div>
        {/* /search has its own box, with the filters that go with it: one search box on a page. */}
        {pathname === "/search" ? null : <SearchBox />}
      </header>
      <div id="main" className="site-main">
        {toast ? <ToastMessage toast={toast} /> : null}
        {children}
      </div>
      <footer className="site-footer">
        <p>{t("shell.footer")}</p>
      </footer>
    </>
  );
}

export function SearchBox({ defaultValue = "" }: { defaultValue?: string }) {
  const { t } = useTranslation("common");
  return (
    <Form method="get" action="/search" role="search" className="search-box">
      <label htmlFor="site-search" className="visually-hidden">
        {t("shell.searchLabel")}
      </label>
      <input
        id="site-search"
        type="search"
        name="q"
        defaultValue={defaultValue}
        placeholder={t("shell.searchPlaceholder")}
        enterKeyHint="search"
        autoComplete="off"
      />
      <button type="submit" className="btn btn-primary">
        {t("shell.searchButton")}
      </button>
    </Form>
  );
}

/** A plain POST form: works without JavaScript, remembers the choice in a cookie. */
function LanguageSwitch() {
  const { t, i18n } = useTranslation("common");
  const location = useLocation();
  const current = i18n.language;
  return (
    <Form method="post" action="/set-language" className="lang-switch" aria-label={t("shell.language")}>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      {supportedLanguages.map((lng) => (
        <button
          key={lng}
          type="submit"
          name="lng"
          value={lng}
          lang={lng}
          aria-pressed={current === lng}
          className={current === lng ? "lang-switch__btn is-current" : "lang-switch__btn"}
          title={t(`languages.${lng}`)}
        >
          {lng.toUpperCase()}
          <span className="visually-hidden"> {t(`languages.${lng}`)}</span>
        </button>
      ))}
    </Form>
  );
}

/**
 * A <details>, so it opens without JavaScript. On a page that runs React it
 * closes when the page changes under it (a client-side navigation keeps the
 * header) and when one of its links is tapped, even one to the page shown.
 */
function AccountMenu({ user }: { user: SessionUser | null }) {
  const { t } = useTranslation("common");
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  const close = () => menu.current?.removeAttribute("open");
  useEffect(() => {
    menu.current?.removeAttribute("open");
  }, [location.key]);
  if (!user) {
    return (
      <Link to="/login" className="btn btn-small">
        {t("shell.login")}
      </Link>
    );
  }
  const firstName = user.fullName.trim().split(/\s+/).pop();
  return (
    <details className="account-menu" ref={menu}>
      <summary className="btn btn-small">
        <span className="visually-hidden">{t("shell.accountMenu")}: </span>
        <span className="account-menu__name">{firstName}</span>
      </summary>
      <ul className="account-menu__list">
        {user.role === "farmer" ? (
          <li>
            <Link to="/seller" onClick={close}>
              {t("shell.myStall")}
            </Link>
          </li>
        ) : null}
        {user.role === "officer" ? (
          <li>
            <Link to="/officer" onClick={close}>
              {t("shell.officerWorkspace")}
            </Link>
          </li>
        ) : null}
        {user.role === "admin" ? (
          <>
            <li>
              <Link to="/admin/officers" onClick={close}>
                {t("shell.adminOfficers")}
              </Link>
            </li>
            <li>
              <Link to="/admin/reports" onClick={close}>
                {t("shell.adminReports")}
              </Link>
            </li>
            <li>
              <Link to="/admin/audit" onClick={close}>
                {t("shell.adminAudit")}
              </Link>
            </li>
            <li>
              <Link to="/admin/payouts" onClick={close}>
                {t("shell.adminPayouts")}
              </Link>
            </li>
            <li>
              <Link to="/admin/exports" onClick={close}>
                {t("shell.adminExports")}
              </Link>
            </li>
          </>
        ) : null}
        <li>
          <Link to="/account" onClick={close}>
            {t("shell.myAccount")}
          </Link>
        </li>
        <li>
          <LogoutForm>
            <button type="submit" className="btn-link">
              {t("shell.logout")}
            </button>
          </LogoutForm>
        </li>
      </ul>
    </details>
  );
}

/** The one toast: a message after a redirect, announced politely, in the reader's language. */
function ToastMessage({ toast }: { toast: Toast }) {
  const namespace = toast.key.includes(":") ? toast.key.slice(0, toast.key.indexOf(":")) : "common";
  // i18n-check: runtime namespace — the key names it ("seller:toast.saved"); wait for that one (ADR 005).
  const { t } = useTranslation(namespace);
  return (
    <p role="status" className={`toast toast--${toast.kind ?? "success"}`}>
      {t(toast.key, toast.values)}
    </p>
  );
}
