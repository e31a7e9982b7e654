import { Link, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { WIZARD_STEPS, previousStep, stepIndex, stepPath, type WizardStep } from "./steps";
import { useActingPath } from "~/utils/acting-paths";

/**
 * One wizard screen: where the farmer is ("Bước 2/6 · Gian hàng") over a row of
 * step numbers (the ones already reached are links), the step's title, and its
 * form. Phone first: numbers only in the row, the current step's name in words.
 */
export function WizardFrame({
  step,
  reached,
  title,
  intro,
  children,
}: {
  step: WizardStep;
  /** Index of the furthest step reached (6 = published). */
  reached: number;
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation("onboarding");
  const to = useActingPath();
  const current = stepIndex(step);
  return (
    <main className="page page--narrow wizard">
      <nav aria-label={t("progress.label")}>
        <p className="wizard-count">
          {t("progress.count", { n: current + 1, total: WIZARD_STEPS.length, name: t(`steps.${step}`) })}
        </p>
        <ol className="wizard-steps">
          {WIZARD_STEPS.map((s, i) => {
            const state = i === current ? "current" : i < current || i <= reached ? "done" : "todo";
            const label = (
              <>
                <span aria-hidden="true">{i + 1}</span>
                <span className="visually-hidden">{t(`steps.${s}`)}</span>
              </>
            );
            return (
              <li key={s} className={`wizard-step wizard-step--${state}`}>
                {i === current ? (
                  <span aria-current="step">{label}</span>
                ) : i <= reached ? (
                  <Link to={to(stepPath(s))}>{label}</Link>
                ) : (
                  <span>{label}</span>
                )}
              </li>
            );
          })}
        </ol>
      </nav>
      <div className="card stack">
        <h1>{title}</h1>
        {intro ? <p>{intro}</p> : null}
        {children}
      </div>
    </main>
  );
}

/** Back (a link: nothing to save going back) and Next (saves the step's form). */
export function WizardNav({
  step,
  nextLabel,
  intent = "save",
}: {
  step: WizardStep;
  nextLabel?: string;
  intent?: string;
}) {
  const { t } = useTranslation("onboarding");
  const to = useActingPath();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const back = previousStep(step);
  return (
    <div className="wizard-nav">
      {back ? (
        <Link to={to(stepPath(back))} className="btn">
          {t("nav.back")}
        </Link>
      ) : null}
      <button type="submit" name="intent" value={intent} className="btn btn-primary" disabled={busy}>
        {busy ? t("nav.saving") : (nextLabel ?? t("nav.next"))}
      </button>
    </div>
  );
}
