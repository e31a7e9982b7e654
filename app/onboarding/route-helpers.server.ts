/**
 * What the wizard's routes share: the onboarding of the household the
 * signed-in person may act for (requireActingHousehold, app/stalls), sending
 * them to the step they may open, and where a saved step leads. The routes
 * reach the form schemas through here, so zod stays out of the browser bundle
 * (see app/listings/route-helpers.server.ts).
 */
import { redirect } from "@remix-run/node";
import { canOpen, onboardingOf, type Onboarding } from "./onboarding.server";
import { nextStep, stepIndex, stepPath, WIZARD_STEPS, type WizardStep } from "./steps";
import { requireActingHousehold } from "~/stalls/index.server";
import { redirectWithToast } from "~/utils/toast.server";

export { parseDeliveryForm, parseHouseholdForm, parseStallForm } from "./schemas";

export const DASHBOARD_PATH = "/seller";

/** The furthest step this person may open (where /setup resumes). */
export function resumeStep(onboarding: Onboarding): WizardStep {
  const reachable = WIZARD_STEPS.filter((step) => canOpen(onboarding, step));
  return reachable[reachable.length - 1] ?? "household";
}

/** The signed-in user and the onboarding they may act for; a step not reached yet redirects to the one to do. */
export async function requireStep(request: Request, step: WizardStep) {
  const { user, ...acting } = await requireActingHousehold(request);
  const onboarding = onboardingOf(acting);
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
