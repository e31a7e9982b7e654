/**
 * The front door of app/onboarding for server code: routes and other capabilities
 * import from here and from nowhere else inside app/onboarding.
 */
export {
  completeProductStep,
  getOnboarding,
  OnboardingError,
  onboardingOf,
  publishProblems,
  publishStall,
  saveDelivery,
  saveHousehold,
  savePaymentMethods,
  saveStall,
  unpublishStall,
} from "./onboarding.server";
export {
  afterSave,
  DASHBOARD_PATH,
  parseDeliveryForm,
  parseHouseholdForm,
  parseStallForm,
  reachedIndex,
  requireStallStep,
  requireStep,
  type ActingOnboarding,
  resumeStep,
} from "./route-helpers.server";
export { type ChecklistItem, type StallChecklist, stallChecklist } from "./checklist.server";
// The household step's schema, which the officer's registration form extends (app/officers).
export { HouseholdSchema } from "./schemas";
