/**
 * The seller area's queue on the phone (issue 17): with no signal, or while
 * earlier work still waits (the order must hold), the listing, status, order
 * and payment forms are stored on the phone instead of posted, and sent, in
 * order and once each, when the signal returns. Every seller page shows what
 * waits ("Đang chờ gửi (3)"), when it was done, its state, and why the server
 * refused something and what happened instead.
 *
 * Never on an officer's `/officer/h/…` pages: those need the network. Without
 * JavaScript none of this exists and the forms post as always.
 */
import { Link, useLocation, useNavigate, useRevalidator } from "@remix-run/react";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from "react";
import { useTranslation } from "react-i18next";
import { queueForm, queueNewListing, queuePhotos, type QueuedForm } from "./enqueue";
import {
  clearQueue,
  dismissQueueItem,
  listQueue,
  onQueueChange,
  PENDING_STATES,
  type QueueItem,
  type QueueKind,
} from "./queue";
import { sendQueue } from "./sender";

/** A new listing, as the create page hands it over: fields (photos left out), photos already shrunk. */
export interface NewListingForQueue {
  form: FormData;
  photos: { blob: Blob; name: string }[];
  /** The form, emptied when the page cannot move on (offline, no service worker yet). */
  element?: HTMLFormElement;
}

interface OfflineQueueContext {
  /** Submissions should go to the queue now (no signal, or work already waiting). */
  shouldQueue(): boolean;
  queueForm(
    queued: Omit<QueuedForm, "href"> & { href?: string; landing?: string; element?: HTMLFormElement },
  ): Promise<void>;
  queueNewListing(listing: NewListingForQueue): Promise<void>;
  /** Photos for an existing listing (already shrunk), one request each, to `<listingUrl>/photos`. */
  queuePhotos(photos: { listingUrl: string; title: string; photos: { blob: Blob; name: string }[] }): Promise<void>;
}

const inactive: OfflineQueueContext = {
  shouldQueue: () => false,
  queueForm: async () => {},
  queueNewListing: async () => {},
  queuePhotos: async () => {},
};

const Context = createContext<OfflineQueueContext>(inactive);

/** The queue, for a form that can be queued (ListingForm, the listing and order pages). */
export function useOfflineQueue(): OfflineQueueContext {
  return useContext(Context);
}

/**
 * `onSubmit` for a small form (a status button, an order's next step, a
 * payment received): queued when `shouldQueue()`, else posted as usual.
 */
export function useQueuedSubmit() {
  const queue = useOfflineQueue();
  return (kind: QueueKind, label: string) => (event: FormEvent<HTMLFormElement>) => {
    if (!queue.shouldQueue()) return;
    event.preventDefault();
    const element = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const action = new URL(element.action, window.location.href);
    void queue.queueForm({
      kind,
      label,
      url: action.pathname + action.search,
      form: new FormData(element, submitter),
      multipart: element.enctype === "multipart/form-data",
    });
  };
}

/** Sending may navigate there: online, or a service worker serves the last good copy. */
/** "Saved on the phone", carried over a whole-page load (sessionStorage) to the page the farmer lands on. */
const SAVED_FLAG = "ghs-queue-saved";

/**
 * Wraps the seller area's pages (app/routes/seller.tsx): the queue's list
 * above them, the queue's context for their forms, and the sender started on
 * load, on `online`, after each enqueue and with "Gửi ngay".
 */
export function OfflineQueue({ userId, children }: { userId: string; children: ReactNode }) {
  const { t, i18n } = useTranslation("offline");
  const location = useLocation();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const active = location.pathname === "/seller" || location.pathname.startsWith("/seller/");
  const [items, setItems] = useState<QueueItem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const pending = useRef(0);
  const retryTimer = useRef<ReturnType<typeof setTimeout>>();
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;

  useEffect(() => {
    if (sessionStorage.getItem(SAVED_FLAG) === null) return;
    sessionStorage.removeItem(SAVED_FLAG);
    setNotice(t("queue.saved"));
  }, [t]);

  const refresh = useCallback(async () => {
    const all = await listQueue();
    const before = pending.current;
    pending.current = all.filter((item) => item.userId === userId && PENDING_STATES.includes(item.state)).length;
    setItems(all.filter((item) => item.userId === userId));
    // "Saved on the phone" is no longer true once all of it is sent.
    if (before > 0 && pending.current === 0) setNotice(null);
  }, [userId]);

  const send = useCallback(async () => {
    clearTimeout(retryTimer.current);
    setSending(true);
    try {
      const summary = await sendQueue({ userId });
      // The server asked to wait, or the signal came and went: try again later while the page is open.
      const again =
        summary.stop === "wait" && summary.retryAt
          ? summary.retryAt - Date.now()
          : summary.stop === "network"
            ? 30_000
            : 0;
      if (again > 0) retryTimer.current = setTimeout(() => void send(), Math.max(1000, again));
    } catch {
      /* IndexedDB unavailable (private mode on some phones): nothing was queued either */
    } finally {
      setSending(false);
    }
  }, [userId]);

  useEffect(() => {
    if (!active || typeof indexedDB === "undefined") return;
    let revalidateSoon: ReturnType<typeof setTimeout> | undefined;
    const stop = onQueueChange((message) => {
      void refresh();
      if (message.type === "done" || message.type === "refused") {
        // What landed changes this page (the order's state, the list of products): read it again, once.
        clearTimeout(revalidateSoon);
        revalidateSoon = setTimeout(() => revalidateRef.current(), 300);
      }
    });
    void refresh().then(() => {
      if (navigator.onLine) void send();
    });
    const online = () => void send();
    window.addEventListener("online", online);
    return () => {
      stop();
      clearTimeout(revalidateSoon);
      clearTimeout(retryTimer.current);
      window.removeEventListener("online", online);
    };
  }, [active, refresh, send]);

  // Logout warns when work still waits, and empties the queue on this phone before signing out.
  useEffect(() => {
    if (typeof indexedDB === "undefined") return;
    let clearing = false;
    const onSubmit = (event: SubmitEvent) => {
      const form = event.target;
      if (clearing || !(form instanceof HTMLFormElement)) return;
      if (new URL(form.action, window.location.href).pathname !== "/logout") return;
      event.preventDefault();
      event.stopPropagation();
      void listQueue().then(async (all) => {
        const waiting = all.filter((item) => PENDING_STATES.includes(item.state)).length;
        if (waiting > 0 && !window.confirm(t("queue.logoutWarning", { count: waiting }))) return;
        await clearQueue();
        clearing = true;
        form.requestSubmit();
        clearing = false;
      });
    };
    window.addEventListener("submit", onSubmit, true);
    return () => window.removeEventListener("submit", onSubmit, true);
  }, [t]);

  const after = useCallback(
    async (landing: string | undefined, element?: HTMLFormElement) => {
      await refresh();
      setNotice(t("queue.saved"));
      if (navigator.onLine) void send();
      if (landing && navigator.onLine) navigate(landing);
      else if (landing && navigator.serviceWorker?.controller) {
        // Without signal a client navigation would ask for data the phone may not have: a whole page,
        // which the seller app's worker answers from its copy.
        sessionStorage.setItem(SAVED_FLAG, "1");
        window.location.assign(landing);
      } else if (landing) element?.reset();
      window.scrollTo({ top: 0 });
    },
    [navigate, refresh, send, t],
  );

  const context = useMemo<OfflineQueueContext>(() => {
    if (!active) return inactive;
    return {
      shouldQueue: () => typeof indexedDB !== "undefined" && (navigator.onLine === false || pending.current > 0),
      queueForm: async ({ landing, href, element, ...queued }) => {
        await queueForm(userId, { ...queued, href: href ?? location.pathname });
        await after(landing, element);
      },
      queueNewListing: async ({ form, photos, element }) => {
        const title = String(form.get("title") ?? "").trim();
        await queueNewListing(userId, {
          form,
          photos,
          label: t("queue.labels.create", { title }),
          photoLabel: (n) => t("queue.labels.photo", { n, title }),
          createUrl: "/seller/listings/new",
          listingUrl: (id) => `/seller/listings/${id}`,
        });
        await after("/seller/listings", element);
      },
      queuePhotos: async ({ listingUrl, title, photos }) => {
        await queuePhotos(userId, {
          photos,
          href: listingUrl,
          photoLabel: (n) => t("queue.labels.photo", { n, title }),
        });
        await after(undefined);
      },
    };
  }, [active, after, location.pathname, t, userId]);

  const waiting = items.filter((item) => item.state !== "refused");
  const refused = items.filter((item) => item.state === "refused");
  const time = new Intl.DateTimeFormat(i18n.language, {
    hour: "2-digit",
    minute: "2-digit",
    day: "2-digit",
    month: "2-digit",
  });

  const stateText = (item: QueueItem) => {
    if (item.state === "waiting" && item.notBefore > Date.now())
      return t("queue.state.busy", { time: time.format(item.notBefore) });
    return t(`queue.state.${item.state}`);
  };

  return (
    <Context.Provider value={context}>
      {active && (items.length > 0 || notice) ? (
        <aside className="page stack offline-queue">
          {notice ? (
            <p role="status" className="notice">
              {notice}
            </p>
          ) : null}
          {waiting.length > 0 ? (
            <section className="card stack" aria-labelledby="offline-queue-heading">
              <h2 id="offline-queue-heading">{t("queue.heading", { count: waiting.length })}</h2>
              <ul className="list-plain offline-queue__items">
                {waiting.map((item) => (
                  <li key={item.key} className={`offline-queue__item is-${item.state}`}>
                    <strong>{item.label}</strong>
                    <br />
                    <span className="muted">
                      {t("queue.doneAt", { time: time.format(new Date(item.doneAt)) })} · {stateText(item)}
                    </span>
                  </li>
                ))}
              </ul>
              <button type="button" className="btn" disabled={sending} onClick={() => void send()}>
                {sending ? t("queue.sending") : t("queue.sendNow")}
              </button>
            </section>
          ) : null}
          {refused.length > 0 ? (
            <section className="card stack" aria-labelledby="offline-queue-refused-heading">
              <h2 id="offline-queue-refused-heading">{t("queue.refusedHeading", { count: refused.length })}</h2>
              <ul className="list-plain offline-queue__items">
                {refused.map((item) => (
                  <li key={item.key} className="offline-queue__item is-refused stack">
                    <p>
                      <strong>{item.label}</strong>
                      <br />
                      <span className="muted">{t("queue.doneAt", { time: time.format(new Date(item.doneAt)) })}</span>
                    </p>
                    <p role="alert">{why(item, t)}</p>
                    <p>
                      {t(`queue.instead.${item.kind}`)}{" "}
                      {(item.result?.href ?? item.href) ? (
                        <Link to={linkFor(item)}>{t(`queue.link.${item.kind}`)}</Link>
                      ) : null}
                    </p>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => void dismissQueueItem(item.id!).then(refresh)}
                    >
                      {t("queue.dismiss")}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </aside>
      ) : null}
      {children}
    </Context.Provider>
  );
}

/** Why it was not done, in plain words: the server's, else the queue's own. */
function why(item: QueueItem, t: (key: string) => string) {
  const result = item.result;
  if (result?.message) return result.message;
  if (result?.reason === "dependency") return t("queue.why.dependency");
  if (result?.reason === "other_user") return t("queue.why.otherUser");
  // A listing or order deleted on another phone answers a plain 404 page.
  if (result?.status === 404) return t("queue.why.gone");
  return t("queue.why.generic");
}

/** The listing's page for a listing that was never created is the list of listings. */
function linkFor(item: QueueItem) {
  if (item.kind === "listing.create" || item.kind === "listing.photo") {
    return item.result?.reason === "dependency" || item.kind === "listing.create"
      ? "/seller/listings"
      : (item.result?.href ?? item.href ?? "/seller/listings");
  }
  return item.result?.href ?? item.href ?? "/seller";
}
