import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { inArray } from "drizzle-orm";
import { communes } from "#db/schema";
import { codeNotRight, codeNotSent, requestAgreementCode, verifyAgreementCode } from "~/auth/index.server";
import { CodeField, Field, FormError, PhoneField, SelectField } from "~/components/forms";
import { answerRefusal } from "~/http/index.server";
import { getT, i18nInstance } from "~/i18n/index.server";
import {
  checkOnboarding,
  officerCommuneCodes,
  onboardHousehold,
  parseOnboardForm,
  requireOfficer,
  rosterEntryToOnboard,
} from "~/officers/index.server";
import { actingPath } from "~/utils/acting-paths";
import { CONSENT_STATEMENT_VERSION, type OnboardFormValues } from "~/officers";
import { db } from "~/utils/db.server";
import { formatPhone } from "~/utils/phone";
import { translateErrors, type FormErrors } from "~/utils/forms";
import { logger } from "~/utils/logger.server";
import { pageTitle } from "~/utils/page-title";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "officers", "acting", "onboarding", "auth"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

async function myCommunes(officerId: string) {
  const codes = await officerCommuneCodes(db, officerId);
  if (codes.length === 0) return [];
  const rows = await db
    .select({ code: communes.code, name: communes.fullName })
    .from(communes)
    .where(inArray(communes.code, codes));
  return rows.sort((a, b) => a.name.localeCompare(b.name, "vi"));
}

const EMPTY: OnboardFormValues = {
  phone: "",
  fullName: "",
  kind: "household",
  communeCode: "",
  addressLine: "",
  rosterEntryId: "",
};

/** /officer/onboard[?roster=<entry>] — register a household on its behalf, with its consent. */
export async function loader({ request }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request);
  const t = await getT(request, "acting");
  const rosterId = new URL(request.url).searchParams.get("roster");
  const entry = rosterId ? await rosterEntryToOnboard(db, officer.id, rosterId) : null;
  const values: OnboardFormValues = entry
    ? {
        ...EMPTY,
        phone: formatPhone(entry.phone),
        fullName: entry.fullName,
        communeCode: entry.communeCode,
        addressLine: entry.hamlet,
        rosterEntryId: entry.id,
      }
    : EMPTY;
  return { title: pageTitle(t("onboard.title")), communes: await myCommunes(officer.id), values };
}

type Answer = { step: "details" | "code"; values: OnboardFormValues; errors: FormErrors; sentTo?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const officer = await requireOfficer(request);
  const [t, form] = await Promise.all([getT(request, ["acting", "onboarding", "auth"]), request.formData()]);
  const parsed = parseOnboardForm(form);
  const intent = form.get("intent");
  const answer = (status: number, step: Answer["step"], errors: FormErrors, sentTo?: string) =>
    data<Answer>({ step, values: parsed.values, errors, sentTo }, { status });
  if (!parsed.ok) return answer(400, "details", translateErrors(t, parsed.errors, "onboarding"));
  const input = parsed.data;
  const ip = context.clientIp as string;

  if (intent === "send") {
    try {
      await checkOnboarding(db, officer.id, input);
    } catch (error) {
      return answerRefusal(t, error, parsed.values, { step: "details" as const });
    }
    // The household reads it: in Vietnamese, whatever the officer's screen shows.
    const sms = i18nInstance("vi").getFixedT("vi", "acting");
    const sent = await requestAgreementCode("consent", {
      phone: input.phone,
      ip,
      text: (code, minutes) => sms("sms.consentCode", { code, minutes, officer: officer.fullName }),
    });
    if (!sent.ok) {
      if ("error" in sent)
        (context.logger ?? logger).error({ err: sent.error, flow: "consent" }, "sending the SMS failed");
      const problem = codeNotSent(t, sent);
      return answer(problem.status, "details", problem.errors);
    }
    return answer(200, "code", {}, formatPhone(input.phone));
  }

  if (intent === "confirm") {
    const verified = await verifyAgreementCode("consent", {
      phone: input.phone,
      code: String(form.get("code") ?? "").trim(),
      ip,
    });
    if (!verified.ok) {
      const problem = codeNotRight(t, verified);
      return answer(problem.status, "code", problem.errors, formatPhone(input.phone));
    }
    let householdId: string;
    try {
      householdId = await onboardHousehold(db, {
        officer: { userId: officer.id, name: officer.fullName, role: officer.role },
        input,
      });
    } catch (error) {
      return answerRefusal(t, error, parsed.values, { step: "details" as const });
    }
    return redirectWithToast(actingPath(householdId, "/setup/stall"), {
      key: "acting:onboard.done",
      values: { name: input.fullName },
    });
  }
  return answer(400, "details", { form: t("acting:onboard.errors.invalid") });
}

export default function OnboardHousehold() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as Answer | undefined;
  const { t } = useTranslation(["acting", "onboarding", "auth"]);
  const busy = useNavigation().state !== "idle";
  const values = answer?.values ?? loaded.values;
  const errors = answer?.errors ?? {};
  const step = answer?.step ?? "details";
  return (
    <main className="page stack">
      <h1>{t("onboard.title")}</h1>
      {step === "details" ? (
        <Form method="post" className="card stack" noValidate>
          <p>{t("onboard.intro")}</p>
          <FormError message={errors.form} />
          <input type="hidden" name="rosterEntryId" value={values.rosterEntryId} />
          <PhoneField
            label={t("onboard.phone")}
            hint={t("onboard.phoneHint")}
            error={errors.phone}
            defaultValue={values.phone}
            autoComplete="off"
          />
          <Field
            name="fullName"
            label={t("onboarding:household.fullName")}
            hint={t("onboarding:household.fullNameHint")}
            error={errors.fullName}
            defaultValue={values.fullName}
            autoComplete="off"
            maxLength={80}
            required
          />
          <fieldset className="field">
            <legend>{t("onboarding:household.kind")}</legend>
            {(["household", "cooperative"] as const).map((kind) => (
              <label key={kind} className="choice">
                <input type="radio" name="kind" value={kind} defaultChecked={values.kind === kind} />
                {t(`onboarding:household.kinds.${kind}`)}
              </label>
            ))}
          </fieldset>
          <SelectField
            name="communeCode"
            label={t("onboard.commune")}
            error={errors.communeCode}
            defaultValue={values.communeCode}
            options={[
              { value: "", label: t("onboard.chooseCommune") },
              ...loaded.communes.map((c) => ({ value: c.code, label: c.name })),
            ]}
          />
          <Field
            name="addressLine"
            label={t("onboarding:household.addressLine")}
            hint={t("onboarding:household.addressLineHint")}
            error={errors.addressLine}
            defaultValue={values.addressLine}
            autoComplete="off"
            maxLength={160}
            required
          />
          <ConsentStatement />
          <button type="submit" name="intent" value="send" className="btn btn-primary btn-block" disabled={busy}>
            {t("onboard.sendCode")}
          </button>
        </Form>
      ) : (
        <Form method="post" className="card stack" noValidate>
          <p>{t("onboard.codeSent", { phone: answer?.sentTo ?? "" })}</p>
          <FormError message={errors.form} />
          {Object.entries(values).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <ConsentStatement />
          <CodeField label={t("onboard.code")} hint={t("onboard.codeHint")} error={errors.code} />
          <button type="submit" name="intent" value="confirm" className="btn btn-primary btn-block" disabled={busy}>
            {t("onboard.confirm")}
          </button>
          <button type="submit" name="intent" value="send" className="btn btn-block" disabled={busy}>
            {t("onboard.resend")}
          </button>
        </Form>
      )}
    </main>
  );
}

/** The statement the household agrees to, in plain Vietnamese, read out before the code is sent. */
function ConsentStatement() {
  const { t } = useTranslation("acting");
  return (
    <section className="consent-statement" aria-labelledby="consent-heading" data-version={CONSENT_STATEMENT_VERSION}>
      <h2 id="consent-heading">{t("consent.heading")}</h2>
      <ul>
        {(t("consent.points", { returnObjects: true }) as string[]).map((point) => (
          <li key={point}>{point}</li>
        ))}
      </ul>
    </section>
  );
}
