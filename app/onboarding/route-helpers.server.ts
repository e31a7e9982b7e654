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

/** An onboarding as someone acting reaches it: `path` keeps an officer under the household's URL (app/officers). */
export type ActingOnboarding = Onboarding & { path: (path: string) => string };

/**
 * The signed-in user, who acts (the farmer, or an officer for them) and the
 * onboarding they may act for; a step not reached yet redirects to the one to do.
 */
export async function requireStep(request: Request, step: WizardStep) {
  const { user, actor, path, ...acting } = await requireActingHousehold(request);
  const onboarding: ActingOnboarding = { ...onboardingOf(acting), path };
  if (!canOpen(onboarding, step)) throw redirect(path(stepPath(resumeStep(onboarding))));
  return { user, actor, onboarding };
}

/** Like requireStep, for steps that need the household and its stall. */
export async function requireStallStep(request: Request, step: WizardStep) {
  const { user, actor, onboarding } = await requireStep(request, step);
  const { household, stall } = onboarding;
  if (!household || !stall) throw redirect(onboarding.path(stepPath(resumeStep(onboarding))));
  return { user, actor, onboarding, household, stall };
}

/**
 * After a step is saved: the next step while onboarding; back to the dashboard
 * (with a "saved" toast) when the stall was already published and this was an edit.
 */
export function afterSave(onboarding: ActingOnboarding, step: WizardStep) {
  const { path } = onboarding;
  if (onboarding.progress === "done") return redirectWithToast(path(DASHBOARD_PATH), { key: "onboarding:toast.saved" });
  const next = nextStep(step);
  return redirect(path(next === "done" ? DASHBOARD_PATH : stepPath(next)));
}

/** Steps done, for the progress bar: what the household has reached. */
export function reachedIndex(onboarding: Onboarding): number {
  return stepIndex(onboarding.progress);
}
