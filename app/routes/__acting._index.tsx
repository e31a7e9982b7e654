import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireActingHousehold } from "~/stalls/index.server";

/** The household's own page opens its dashboard, or the wizard until it has a stall. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { stall, path } = await requireActingHousehold(request);
  throw redirect(path(stall ? "/seller" : "/setup"));
}
