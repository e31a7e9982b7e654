/**
 * The front door of app/auth for server code: routes and other capabilities
 * import from here and from nowhere else inside app/auth.
 */
export { type AgreementPurpose, requestAgreementCode, verifyAgreementCode } from "./agreement-code.server";
export { homePathFor, logInWithPassword } from "./accounts.server";
export { checkoutPhoneStep, type CodeStepAnswer, sendCheckoutCode } from "./checkout-code.server";
export { codeNotRight, codeNotSent, type CodeProblem } from "./code-answers.server";
export { pruneExpiredCodes } from "./otp.server";
export {
  createAccountWithProof,
  hasCheckoutProof,
  pruneExpiredProofs,
  readProof,
  requestPhoneCode,
  setPasswordWithProof,
  verifyPhoneCode,
  phoneProvedBefore,
} from "./phone-proof.server";
export { codeStepAction, FLOW_PATHS, readStepParams, sendCodeAction, signIn, stepUrl } from "./phone-steps.server";
export {
  checkoutProofTokensFrom,
  clearProofCookie,
  proofTokenFrom,
  rememberCheckoutProof,
} from "./proof-cookie.server";
export {
  getUser,
  keepingSessionAlive,
  logout,
  pruneExpiredSessions,
  redirectIfSignedIn,
  requireRole,
  requireUser,
  type SessionUser,
} from "./session.server";
export { LoginSchema, newPasswordSchema, signupDetailsSchema } from "./schemas";
