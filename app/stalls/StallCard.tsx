import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { PublicStall } from "./stalls.server";

type StallSummary = Pick<PublicStall, "slug" | "name" | "ownerName" | "communeName" | "provinceName" | "description">;

export function StallCard({ stall }: { stall: StallSummary }) {
  const { t } = useTranslation("common");
  return (
    <Link to={`/s/${stall.slug}`} className="card stall-card">
      <h3>{stall.name}</h3>
      <p className="muted">{t("stall.location", { commune: stall.communeName, province: stall.provinceName })}</p>
      <p>{t("stall.by", { name: stall.ownerName })}</p>
    </Link>
  );
}

export function StallGrid({ stalls }: { stalls: (StallSummary & { id: string })[] }) {
  return (
    <ul className="grid">
      {stalls.map((stall) => (
        <li key={stall.id}>
          <StallCard stall={stall} />
        </li>
      ))}
    </ul>
  );
}
