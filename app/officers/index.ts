/** The browser-safe front door of app/officers. */
export {
  ACTING_PREFIX,
  actingBase,
  actingHouseholdIdOf,
  actingPath,
  actingPathFor,
  useActingPath,
} from "./acting-paths";
