/**
 * Turning a form the farmer submitted into queue items (in the page): the
 * body is serialised ONCE here, as the browser would post it, so every send
 * is the same bytes with the same key.
 */
import { enqueue, QUEUE_SYNC_TAG, type NewQueueItem, type QueueKind } from "./queue";

/** The body and Content-Type (boundary included) the browser would post for this form. */
export async function serialiseForm(form: FormData, multipart: boolean): Promise<{ body: Blob; contentType: string }> {
  const body = multipart
    ? form
    : new URLSearchParams(Array.from(form, ([name, value]) => [name, typeof value === "string" ? value : value.name]));
  const request = new Request(globalThis.location?.href ?? "http://localhost/", { method: "POST", body });
  return { body: await request.blob(), contentType: request.headers.get("Content-Type") ?? "" };
}

export interface QueuedForm {
  kind: QueueKind;
  label: string;
  url: string;
  form: FormData;
  multipart?: boolean;
  href?: string;
}

async function item(
  userId: string,
  doneAt: string,
  { kind, label, url, form, multipart = false, href }: QueuedForm,
  extra: Partial<NewQueueItem> = {},
): Promise<NewQueueItem> {
  const { body, contentType } = await serialiseForm(form, multipart);
  return {
    key: crypto.randomUUID(),
    userId,
    kind,
    label,
    url,
    method: "POST",
    contentType,
    body,
    doneAt,
    href,
    ...extra,
  };
}

/** Queues one form (a listing's changes or status, an order's next step or payment). */
export async function queueForm(userId: string, queued: QueuedForm): Promise<void> {
  await enqueue(await item(userId, new Date().toISOString(), queued));
  await askForSync();
}

export interface QueuedListing {
  /** The create form's fields, photos left out. */
  form: FormData;
  label: string;
  /** `(n) => label` of the n-th photo. */
  photoLabel: (n: number) => string;
  /** Already shrunk in the browser. */
  photos: { blob: Blob; name: string }[];
  /** `/seller/listings/new`, and where the new listing will be (`id` → `/seller/listings/<id>`). */
  createUrl: string;
  listingUrl: (id: string) => string;
}

/**
 * A new listing: its id is made here (form field `id`), so its photos can be
 * queued at once, each its own request to the listing's photos, after the
 * create and refused with it.
 */
export async function queueNewListing(userId: string, listing: QueuedListing): Promise<string> {
  const id = crypto.randomUUID();
  const doneAt = new Date().toISOString();
  const href = listing.listingUrl(id);
  listing.form.set("id", id);
  const create = await item(userId, doneAt, {
    kind: "listing.create",
    label: listing.label,
    url: listing.createUrl,
    form: listing.form,
    multipart: true,
    href,
  });
  const photos = await photoItems(userId, doneAt, { ...listing, href }, create.key);
  await enqueue(create, ...photos);
  await askForSync();
  return id;
}

/** One `listing.photo` item per photo (the uploader sends one per request too), to `<href>/photos`. */
function photoItems(
  userId: string,
  doneAt: string,
  { photos, photoLabel, href }: Pick<QueuedListing, "photos" | "photoLabel"> & { href: string },
  dependsOn?: string,
) {
  return Promise.all(
    photos.map(async ({ blob, name }, i) => {
      const form = new FormData();
      form.append("photos", blob, name.replace(/\.[^.]+$/, "") + (blob.type === "image/jpeg" ? ".jpg" : ""));
      return item(
        userId,
        doneAt,
        { kind: "listing.photo", label: photoLabel(i + 1), url: `${href}/photos`, form, multipart: true, href },
        { accept: "application/json", ...(dependsOn ? { dependsOn } : {}) },
      );
    }),
  );
}

/** Photos added to an existing listing (its page, `href`) while there is no signal. */
export async function queuePhotos(
  userId: string,
  photos: Pick<QueuedListing, "photos" | "photoLabel"> & { href: string },
): Promise<void> {
  await enqueue(...(await photoItems(userId, new Date().toISOString(), photos)));
  await askForSync();
}

/** Where the browser has Background Sync, the worker sends the queue once there is signal, page open or not. */
async function askForSync() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    const sync = (registration as { sync?: { register(tag: string): Promise<void> } } | undefined)?.sync;
    await sync?.register(QUEUE_SYNC_TAG);
  } catch {
    /* no worker, or sync refused: the page sends on `online` and on load */
  }
}
