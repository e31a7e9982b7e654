/**
 * The front door of app/notifications for server code: routes and other capabilities
 * import from here and from nowhere else inside app/notifications.
 */
export { type SmsProvider } from "./sms.server";
export { smsProvider } from "./sms.server";
