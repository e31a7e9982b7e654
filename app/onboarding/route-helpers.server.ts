/**
 * What the wizard's routes share: finding the signed-in person's onboarding,
 * sending them to the step they may open, and where a saved step leads. The
 * routes reach the form schemas through here, so zod stays out of the browser
 * bundle (see app/listings/route-helpers.server.ts).
 */
import { redirect } from "@remix-run/node";
import type { TFunction } from "i18next";
import { canOpen, getOnboarding, type Onboarding } from "./onboarding.server";
import { nextStep, stepIndex, stepPath, WIZARD_STEPS, type WizardStep } from "./steps";
import { requireUser, type SessionUser } from "~/auth/index.server";
import { db } from "~/utils/db.server";
import { redirectWithToast } from "~/utils/toast.server";

export { parseDeliveryForm, parseHouseholdForm, parseStallForm } from "./schemas";

export const DASHBOARD_PATH = "/seller";

/** The furthest step this person may open (where /setup resumes). */
export function resumeStep(onboarding: Onboarding): WizardStep {
  const reachable = WIZARD_STEPS.filter((step) => canOpen(onboarding, step));
  return reachable[reachable.length - 1] ?? "household";
}

/** The signed-in user and their onboarding; a step not reached yet redirects to the one to do. */
export async function requireStep(
  request: Request,
  step: WizardStep,
): Promise<{ user: SessionUser; onboarding: Onboarding }> {
  const user = await requireUser(request);
  const onboarding = await getOnboarding(db, user.id);
  if (!canOpen(onboarding, step)) throw redirect(stepPath(resumeStep(onboarding)));
  return { user, onboarding };
}

/** Like requireStep, for steps that need the household and its stall. */
export async function requireStallStep(request: Request, step: WizardStep) {
  const { user, onboarding } = await requireStep(request, step);
  const { household, stall } = onboarding;
  if (!household || !stall) throw redirect(stepPath(resumeStep(onboarding)));
  return { user, onboarding, household, stall };
}

/**
 * After a step is saved: the next step while onboarding; back to the dashboard
 * (with a "saved" toast) when the stall was already published and this was an edit.
 */
export function afterSave(onboarding: Onboarding, step: WizardStep) {
  if (onboarding.progress === "done") return redirectWithToast(DASHBOARD_PATH, { key: "onboarding:toast.saved" });
  const next = nextStep(step);
  return redirect(next === "done" ? DASHBOARD_PATH : stepPath(next));
}

/** Steps done, for the progress bar: what the household has reached. */
export function reachedIndex(onboarding: Onboarding): number {
  return stepIndex(onboarding.progress);
}

/** Field → translation key, as the schemas and domain give them, to field → message. */
export function translateErrors(t: TFunction, errors: Record<string, string>, ns?: string): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, t(key, ns ? { ns } : undefined)]));
}
