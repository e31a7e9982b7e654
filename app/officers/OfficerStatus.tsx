import { useTranslation } from "react-i18next";
import { formatDate } from "~/utils/format";

/** An officer's account as a badge: active, still without a password, or deactivated since a date. */
export function OfficerStatus({ officer }: { officer: { deactivatedAt: string | Date | null; hasPassword: boolean } }) {
  const { t, i18n } = useTranslation("admin");
  if (officer.deactivatedAt) {
    return (
      <span className="status-badge status-badge--paused">
        {t("officers.status.deactivated", { date: formatDate(officer.deactivatedAt, i18n.language) })}
      </span>
    );
  }
  return officer.hasPassword ? (
    <span className="status-badge status-badge--active">{t("officers.status.active")}</span>
  ) : (
    <span className="status-badge">{t("officers.status.noPassword")}</span>
  );
}
