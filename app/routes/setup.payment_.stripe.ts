/**
 * Stripe Connect onboarding's refresh_url: Stripe sends the farmer here when
 * their account link has expired or was already used (links are single use
 * and last minutes). A new link is minted and the farmer goes straight back to
 * Stripe. Nothing of ours changes. Without Connect, this page does not exist.
 */
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireStallStep } from "~/onboarding/index.server";
import { connectStatus, onboardingLinks, refreshStripeOnboarding } from "~/payments/index.server";
import { publicOrigin } from "~/stalls/index.server";
import { logger } from "~/utils/logger.server";
import { redirectWithToast } from "~/utils/toast.server";

const STEP_PATH = "/setup/payment";

export async function loader({ request }: LoaderFunctionArgs) {
  const { stall, onboarding } = await requireStallStep(request, "payment");
  if (connectStatus(stall) === "off") throw new Response("Not found", { status: 404 });
  try {
    const link = await refreshStripeOnboarding({ stall, links: onboardingLinks(publicOrigin(request)) });
    // No account yet: the step's button starts onboarding from the beginning.
    return redirect(link ? link.url : onboarding.path(STEP_PATH));
  } catch (error) {
    logger.warn({ err: error, stallId: stall.id }, "stripe connect onboarding link could not be refreshed");
    return redirectWithToast(onboarding.path(STEP_PATH), {
      key: "onboarding:payment.connect.unavailable",
      kind: "error",
    });
  }
}
