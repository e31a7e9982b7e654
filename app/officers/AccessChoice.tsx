/**
 * The three levels a farmer gives the officers of their household (edit,
 * view, none), as radio buttons with what each means. Used at hand-over and
 * on the dashboard's "Cán bộ hỗ trợ" card.
 */
import { useTranslation } from "react-i18next";
import { OFFICER_ACCESS_LEVELS } from "#db/vocabulary";

export function AccessChoice({
  name = "access",
  defaultValue,
  proposed,
  legend,
  idPrefix = "access",
}: {
  name?: string;
  defaultValue: string;
  /** The level marked "(đề xuất)". */
  proposed?: string;
  legend: string;
  idPrefix?: string;
}) {
  const { t } = useTranslation("acting");
  return (
    <fieldset className="field">
      <legend>{legend}</legend>
      {OFFICER_ACCESS_LEVELS.map((level) => (
        <label key={level} className="choice" htmlFor={`${idPrefix}-${level}`}>
          <input
            type="radio"
            id={`${idPrefix}-${level}`}
            name={name}
            value={level}
            defaultChecked={defaultValue === level}
          />
          <span>
            <strong>{t(`access.levels.${level}`)}</strong> {proposed === level ? t("access.proposed") : null}
            <br />
            <span className="muted">{t(`access.hints.${level}`)}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
