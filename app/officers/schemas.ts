/**
 * The officer's form for a household they onboard: who (name, kind), where
 * (one of the officer's communes, the hamlet and house), the phone that will
 * be the farmer's account and receives the consent code. The household fields
 * are the wizard's own (onboarding namespace); the phone's messages are auth's.
 */
import { z } from "zod";
import { HouseholdSchema } from "~/onboarding/index.server";
import { formValues, parseForm } from "~/utils/forms";
import { parseVietnameseMobile } from "~/utils/phone";
import { ONBOARD_FIELDS } from "./consent";

const phone = z.string().transform((value, ctx) => {
  const parsed = parseVietnameseMobile(value);
  if (parsed.ok) return parsed.e164;
  ctx.issues.push({ code: "custom", message: `auth:errors.phone.${parsed.problem}`, input: value });
  return z.NEVER;
});

export const OnboardSchema = HouseholdSchema.omit({ provinceCode: true }).extend({
  phone,
  rosterEntryId: z.string().optional(),
});
export type OnboardInput = z.output<typeof OnboardSchema>;

export function parseOnboardForm(form: FormData | URLSearchParams) {
  const values = formValues(form, ONBOARD_FIELDS);
  if (!values.kind) values.kind = "household";
  return parseForm(OnboardSchema, values);
}
