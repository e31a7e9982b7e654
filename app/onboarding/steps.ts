/**
 * The onboarding wizard's steps, in order. Browser-safe: the progress bar and
 * the links of the review step use it. A household record holds the furthest
 * step reached (households.onboarding_step), "done" once published.
 */
export const WIZARD_STEPS = ["household", "stall", "product", "payment", "delivery", "review"] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];
export type OnboardingProgress = WizardStep | "done";

export const SETUP_PATH = "/setup";
export const stepPath = (step: WizardStep) => `${SETUP_PATH}/${step}`;

export function isWizardStep(value: unknown): value is WizardStep {
  return typeof value === "string" && (WIZARD_STEPS as readonly string[]).includes(value);
}

/** 0-based position; "done" counts as past the last step. */
export function stepIndex(step: OnboardingProgress): number {
  return step === "done" ? WIZARD_STEPS.length : WIZARD_STEPS.indexOf(step);
}

export function nextStep(step: WizardStep): OnboardingProgress {
  return WIZARD_STEPS[stepIndex(step) + 1] ?? "done";
}

export function previousStep(step: WizardStep): WizardStep | null {
  return WIZARD_STEPS[stepIndex(step) - 1] ?? null;
}

/** What publishing needs; each names the step that fixes it. */
export type PublishProblem = "name" | "commune" | "listing" | "photo" | "payment";
export const PROBLEM_STEP: Record<PublishProblem, WizardStep> = {
  name: "stall",
  commune: "household",
  listing: "product",
  photo: "product",
  payment: "payment",
};
