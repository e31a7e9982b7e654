/** What every SMS provider is (sms.server.ts chooses one, esms.server.ts is one). */
export interface SmsProvider {
  send(toE164: string, text: string): Promise<void>;
}

/** The gateway did not take the message. Never carries the number or the text. */
export class SmsSendError extends Error {
  constructor(
    readonly provider: string,
    /** The gateway's own result code, when it answered with one. */
    readonly providerCode: string | null,
    message: string,
  ) {
    super(message);
    this.name = "SmsSendError";
  }
}
