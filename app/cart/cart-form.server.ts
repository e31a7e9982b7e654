/**
 * The cart's forms, posted to /cart: intent=add (the product page's form:
 * listingId, quantity), intent=set (listingId, quantity) and intent=remove
 * (listingId). A refusal (OrderError) changes nothing.
 */
import { z } from "zod";
import { addToCart, getOrCreateCart, removeItem, setQuantity } from "./cart.server";
import { cartOwner, findRequestCart, serializeCartToken } from "./cart-cookie.server";
import { OrderError } from "~/orders";
import type { Database } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";

export const CART_FORM_FIELDS = ["intent", "listingId", "quantity"] as const;

const CartFormSchema = z.object({
  intent: z.enum(["add", "set", "remove"]),
  listingId: z.string(),
  // "3" → 3; anything else (empty, "2.5", "-1", "abc") → NaN, which the cart refuses with the item's message.
  quantity: z.string().transform((typed) => (/^\d{1,9}$/.test(typed.trim()) ? Number(typed.trim()) : NaN)),
});

/** Changes the request's cart as the form says; `setCookie` is the anonymous cart's cookie, when it has one. */
export async function changeCart(
  db: Database,
  request: Request,
  user: Parameters<typeof cartOwner>[1],
  form: FormData,
): Promise<{ setCookie: string | null }> {
  const parsed = parseForm(CartFormSchema, form, { fields: CART_FORM_FIELDS });
  if (!parsed.ok) throw new OrderError("invalid_input");
  const { intent, listingId, quantity: qty } = parsed.data;
  if (intent === "add") {
    const owner = await cartOwner(request, user);
    // One transaction: a refused first add leaves no empty cart (and sets no cookie).
    const token = await db.transaction(async (tx) => {
      const { cart, token: created } = await getOrCreateCart(tx, owner);
      await addToCart(tx, { cartId: cart.id, listingId, qty });
      return created ?? ("token" in owner ? owner.token : null);
    });
    return { setCookie: token ? await serializeCartToken(token) : null };
  }
  const cart = await findRequestCart(request, user);
  if (!cart) throw new OrderError("not_found");
  if (intent === "set") await setQuantity(db, { cartId: cart.id, listingId, qty });
  else await removeItem(db, { cartId: cart.id, listingId });
  return { setCookie: null };
}
