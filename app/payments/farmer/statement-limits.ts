/** The statement upload's size limit (one number for the parser and the route's body limit). */
export { STATEMENT_MAX_BYTES } from "~/utils/upload-limits";
