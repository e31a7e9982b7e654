/**
 * The browser-safe front door of app/onboarding: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
export { ADDRESS_MAX, HOURS_MAX, STALL_DESCRIPTION_MAX, STALL_NAME_MAX } from "./limits";
export type { DeliveryFormValues, HouseholdFormValues, StallFormValues } from "./schemas";
export {
  PROBLEM_STEP,
  type PublishProblem,
  SETUP_PATH,
  stepIndex,
  stepPath,
  WIZARD_STEPS,
  type WizardStep,
} from "./steps";
