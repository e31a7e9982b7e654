import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/index.server";
import { getT } from "~/i18n/index.server";
import { formatPhone } from "~/utils/phone";

export const handle = { i18n: ["common", "auth"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = await getT(request, "auth");
  return {
    title: `${t("account.title")} · ${t("brand")}`,
    user: { fullName: user.fullName, phone: formatPhone(user.phone), role: user.role },
  };
}

export default function AccountPage() {
  const { user } = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
  return (
    <main className="page page--narrow">
      <div className="card stack">
        <h1>{t("account.heading")}</h1>
        <dl className="stack">
          <div>
            <dt>{t("account.fullName")}</dt>
            <dd>{user.fullName}</dd>
          </div>
          <div>
            <dt>{t("account.phone")}</dt>
            <dd>{user.phone}</dd>
          </div>
          <div>
            <dt>{t("account.role")}</dt>
            <dd>{t(`roles.${user.role}`)}</dd>
          </div>
        </dl>
        <Form method="post" action="/logout">
          <button type="submit" className="btn">
            {t("logout")}
          </button>
        </Form>
      </div>
    </main>
  );
}
