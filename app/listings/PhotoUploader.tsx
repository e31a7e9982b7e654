import { Form, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState, type Ref } from "react";
import { useTranslation } from "react-i18next";
import { useOfflineQueue } from "~/offline/OfflineQueue";

/**
 * Adds photos to a listing. Without JavaScript: a plain multipart form. With
 * it: each photo is made upright and at most 2048 px in the browser (a 12-MP
 * phone photo drops from ~5 MB to ~0.5 MB on a weak 3G link), then uploaded on
 * its own with a progress bar; a failure can be retried and nothing else on the
 * page (the listing form and what is typed in it) is touched.
 */

const MAX_EDGE = 2048;

type Item = {
  id: number;
  name: string;
  file: File;
  progress: number;
  state: "preparing" | "uploading" | "done" | "failed";
  error?: string;
};

/** Files picked on the "new listing" page, handed over to the edit page it redirects to. */
let handedOver: File[] = [];
export function handOverPhotos(files: File[]) {
  handedOver = files;
}

export async function downscale(file: File): Promise<Blob> {
  // Let the server judge what the browser cannot draw (HEIC on most Androids, fakes).
  if (typeof createImageBitmap !== "function") return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return file;
  }
  const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
  if (scale === 1 && file.type === "image/jpeg" && file.size < 1_500_000) {
    bitmap.close();
    return file;
  }
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d")?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  // Re-encoding also drops EXIF, GPS included, before anything leaves the phone.
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.88));
  return blob ?? file;
}

function upload(action: string, blob: Blob, name: string, onProgress: (p: number) => void) {
  return new Promise<{ ok: boolean; error?: string }>((resolve) => {
    const body = new FormData();
    body.append("photos", blob, name.replace(/\.[^.]+$/, "") + (blob.type === "image/jpeg" ? ".jpg" : ""));
    const xhr = new XMLHttpRequest();
    xhr.open("POST", action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let payload: { ok?: boolean; error?: string } = {};
      try {
        payload = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON: a proxy error page */
      }
      resolve(xhr.status < 300 && payload.ok ? { ok: true } : { ok: false, error: payload.error });
    };
    xhr.onerror = () => resolve({ ok: false });
    xhr.send(body);
  });
}

export function PhotoUploader({
  action,
  remaining,
  listingUrl,
  title,
}: {
  action: string;
  remaining: number;
  /** The listing's page and title: with no signal, the photos wait on the phone for it. */
  listingUrl?: string;
  title?: string;
}) {
  const { t } = useTranslation("seller");
  const offline = useOfflineQueue();
  const revalidator = useRevalidator();
  const [hydrated, setHydrated] = useState(false);
  const [items, setItems] = useState<Item[]>([]);
  const nextId = useRef(1);
  const inputRef = useRef<HTMLInputElement>(null);

  const patch = (id: number, change: Partial<Item>) =>
    setItems((all) => all.map((it) => (it.id === id ? { ...it, ...change } : it)));

  async function run(item: Item) {
    patch(item.id, { state: "preparing", progress: 0, error: undefined });
    const blob = await downscale(item.file);
    patch(item.id, { state: "uploading" });
    const result = await upload(action, blob, item.name, (progress) => patch(item.id, { progress }));
    if (result.ok) {
      patch(item.id, { state: "done", progress: 1 });
      revalidator.revalidate();
    } else {
      patch(item.id, { state: "failed", error: result.error ?? t("photos.networkError") });
    }
  }

  function start(files: File[]) {
    if (listingUrl && offline.shouldQueue()) {
      // No signal (or work already waiting ahead of them): shrunk now, sent in order with the rest.
      void Promise.all(
        files.map(async (file) => ({ blob: await downscale(file), name: file.name || "photo.jpg" })),
      ).then((photos) => offline.queuePhotos({ listingUrl, title: title ?? "", photos }));
      return;
    }
    const fresh = files.map((file) => ({
      id: nextId.current++,
      name: file.name || "photo.jpg",
      file,
      progress: 0,
      state: "preparing" as const,
    }));
    setItems((all) => [...all.filter((it) => it.state !== "done"), ...fresh]);
    // One at a time: on a weak link parallel uploads only make all of them slow.
    fresh.reduce((chain, item) => chain.then(() => run(item)), Promise.resolve());
  }

  useEffect(() => {
    setHydrated(true);
    if (handedOver.length) {
      const files = handedOver;
      handedOver = [];
      start(files);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const input = (
    <input
      ref={inputRef}
      id="photo-input"
      type="file"
      name="photos"
      accept="image/*"
      multiple
      disabled={remaining <= 0}
      onChange={
        hydrated
          ? (e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = "";
              if (files.length) start(files);
            }
          : undefined
      }
    />
  );

  return (
    <div className="stack photo-uploader">
      <Form method="post" action={action} encType="multipart/form-data" className="field" reloadDocument>
        <label htmlFor="photo-input">{t("photos.add", { count: remaining })}</label>
        {input}
        <p className="field-hint">{t("photos.hint")}</p>
        {hydrated ? null : (
          <button type="submit" className="btn">
            {t("photos.upload")}
          </button>
        )}
      </Form>
      {items.length > 0 ? (
        <ul className="upload-list" aria-live="polite">
          {items.map((item) => (
            <li key={item.id} className={`upload-item is-${item.state}`}>
              <span className="upload-item__name">{item.name}</span>
              <progress
                max={1}
                value={item.state === "preparing" ? undefined : item.progress}
                aria-label={t("photos.progress", { name: item.name })}
              />
              <span className="upload-item__state">
                {item.state === "failed" ? item.error : t(`photos.state.${item.state}`)}
              </span>
              {item.state === "failed" ? (
                <button type="button" className="btn btn-small" onClick={() => run(item)}>
                  {t("photos.retry")}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The photo picker of a new listing's form (several photos, phone camera or gallery). */
export function PhotoFileInput({ inputRef, error }: { inputRef?: Ref<HTMLInputElement>; error?: string | null }) {
  const { t } = useTranslation("seller");
  return (
    <div className="field">
      <label htmlFor="f-photos">{t("form.photos")}</label>
      <input
        ref={inputRef}
        id="f-photos"
        type="file"
        name="photos"
        accept="image/*"
        multiple
        aria-describedby={error ? "f-photos-error f-photos-hint" : "f-photos-hint"}
        aria-invalid={error ? true : undefined}
      />
      <p id="f-photos-hint" className="field-hint">
        {t("form.photosHint")}
      </p>
      {error ? (
        <p id="f-photos-error" className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
