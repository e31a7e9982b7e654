/** The names of the payment-methods form's fields (the wizard's payment step). Browser-safe. */
export const PAYMENT_FIELDS = {
  cod: "cod",
  vietqrEnabled: "vietqr.enabled",
  bankBin: "vietqr.bankBin",
  accountNumber: "vietqr.accountNumber",
  accountName: "vietqr.accountName",
  vnpay: "vnpay",
  stripe: "stripe",
} as const;
