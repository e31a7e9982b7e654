/** The wizard forms' limits, shared by the schemas and the fields that show them. Browser-safe. */
export const NAME_MAX = 80;
export const ADDRESS_MAX = 160;
export const STALL_NAME_MIN = 3;
export const STALL_NAME_MAX = 60;
export const STALL_DESCRIPTION_MAX = 500;
export const HOURS_MAX = 80;
export const MAX_FEE_DONG = 2_000_000;
export const MAX_LOCAL_COMMUNES = 30;
