/**
 * The seller's home (/seller): what would help the stall sell, done or still
 * to do (each with a link to fix it), and the tips beyond it.
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ChecklistItem, StallChecklist } from "./checklist.server";

export function StallChecklistCard({ checklist }: { checklist: StallChecklist }) {
  const { t } = useTranslation("seller");
  return (
    <section className="card stack" aria-labelledby="checklist-heading">
      <div className="dashboard-checklist__head">
        <h2 id="checklist-heading">{t("dashboard.checklist.heading")}</h2>
        <p className="dashboard-checklist__count">
          {t("dashboard.checklist.progress", { done: checklist.done, total: checklist.total })}
        </p>
      </div>
      <progress className="dashboard-checklist__bar" max={checklist.total} value={checklist.done} aria-hidden="true" />
      <ul className="checklist">
        {checklist.items.map((item) => (
          <ChecklistRow key={item.key} item={item} />
        ))}
      </ul>
      <h3>{t("dashboard.checklist.tipsHeading")}</h3>
      <ul className="checklist checklist--tips">
        {checklist.tips.map((item) => (
          <ChecklistRow key={item.key} item={item} tip />
        ))}
      </ul>
    </section>
  );
}

function ChecklistRow({ item, tip = false }: { item: ChecklistItem; tip?: boolean }) {
  const { t } = useTranslation("seller");
  const state = item.done ? "done" : tip ? "tip" : "todo";
  const base = `dashboard.checklist.items.${item.key}`;
  return (
    <li className={`checklist__item checklist__item--${state}`}>
      <span className="checklist__mark" aria-hidden="true">
        {item.done ? "✓" : tip ? "☆" : "○"}
      </span>
      <span className="tight">
        <span className="visually-hidden">{t(`dashboard.checklist.${state}`)}: </span>
        <strong>{t(`${base}.label`)}</strong>
        {item.done ? null : (
          <>
            <span className="checklist__hint">
              {item.count ? t(`${base}.missing`, { count: item.count }) : t(`${base}.hint`)}
            </span>
            <Link to={item.href} className="checklist__fix">
              {t(tip ? "dashboard.checklist.add" : "dashboard.checklist.fix")}
            </Link>
          </>
        )}
      </span>
    </li>
  );
}
