import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { DASHBOARD_PATH, onboardingOf, resumeStep } from "~/onboarding/index.server";
import { stepPath } from "~/onboarding";
import { requireActingHousehold } from "~/stalls/index.server";

/** /setup resumes the wizard where this person left it, on any device; a published stall goes to its dashboard. */
export async function loader({ request }: LoaderFunctionArgs) {
  const acting = await requireActingHousehold(request);
  const onboarding = onboardingOf(acting);
  if (onboarding.progress === "done") throw redirect(acting.path(DASHBOARD_PATH));
  throw redirect(acting.path(stepPath(resumeStep(onboarding))));
}
