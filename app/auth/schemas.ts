/**
 * One Zod schema per auth form, shared by the action and (if ever wanted) the
 * browser. Messages are translation keys in auth.json (`errors.*`), turned
 * into text by the route.
 */
import { z } from "zod";
import { passwordProblem } from "./password-policy";
import { parseVietnameseMobile } from "~/utils/phone";
import { oneLine } from "~/utils/text";

/** Roles a person may choose for themselves. Officers and admins are appointed. */
export const SELF_SERVICE_ROLES = ["farmer", "buyer"] as const;

const phone = z.string({ error: "errors.phone.empty" }).transform((value, ctx) => {
  const parsed = parseVietnameseMobile(value);
  if (parsed.ok) return parsed.e164;
  ctx.issues.push({ code: "custom", message: `errors.phone.${parsed.problem}`, input: value });
  return z.NEVER;
});

const fullName = z
  .string({ error: "errors.fullName.required" })
  .transform(oneLine)
  .pipe(
    z
      .string()
      .min(1, "errors.fullName.required")
      .min(2, "errors.fullName.tooShort")
      .max(100, "errors.fullName.tooLong")
      .regex(/\p{L}/u, "errors.fullName.invalid"),
  );

/** A password someone chooses; never the phone number it is for. */
const newPasswordFor = (phoneE164: string) =>
  z.string({ error: "errors.password.required" }).superRefine((value, ctx) => {
    if (value.length === 0) {
      ctx.addIssue({ code: "custom", message: "errors.password.required" });
      return;
    }
    const problem = passwordProblem(value, phoneE164);
    if (problem) ctx.addIssue({ code: "custom", message: `errors.password.${problem}` });
  });

const currentPassword = z
  .string({ error: "errors.password.required" })
  .min(1, "errors.password.required")
  .max(1024, "errors.password.required");

const redirectTo = z.string().max(2048).optional();

/** The first step of every prove-the-phone flow (sign-up, forgotten password, code login). */
export const PhoneStepSchema = z.object({ phone, redirectTo });

/** Sign-up's last step, once the phone is proved: who, their password, what they come for. */
export const signupDetailsSchema = (provedPhone: string) =>
  z.object({
    fullName,
    password: newPasswordFor(provedPhone),
    role: z.enum(SELF_SERVICE_ROLES, { error: "errors.role.invalid" }),
    redirectTo,
  });

/** The new password of a proved phone (forgotten password, officer-made account). */
export const newPasswordSchema = (provedPhone: string) =>
  z.object({ password: newPasswordFor(provedPhone), redirectTo });

export const LoginSchema = z.object({ phone, password: currentPassword, redirectTo });

export const CodeVerifySchema = z.object({
  phone,
  code: z
    .string({ error: "errors.code.format" })
    .transform((v) => v.normalize("NFKC").replace(/[\s.-]/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "errors.code.format")),
  redirectTo,
});

export type LoginInput = z.infer<typeof LoginSchema>;
