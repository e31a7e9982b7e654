/**
 * The front door of app/admin-units for server code: routes and other capabilities
 * import from here and from nowhere else inside app/admin-units.
 */
export { getCommune, getProvince, listCommunes, listProvinces, searchCommunes } from "./admin-units.server";
