import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/index.server";
import { getOnboarding, DASHBOARD_PATH, resumeStep } from "~/onboarding/index.server";
import { stepPath } from "~/onboarding";
import { db } from "~/utils/db.server";

/** /setup resumes the wizard where this person left it, on any device; a published stall goes to its dashboard. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const onboarding = await getOnboarding(db, user.id);
  if (onboarding.progress === "done") throw redirect(DASHBOARD_PATH);
  throw redirect(stepPath(resumeStep(onboarding)));
}
