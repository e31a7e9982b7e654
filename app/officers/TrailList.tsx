/**
 * Entries of the audit trail, already in plain words (trail.server.ts), with
 * when each happened. `extra` adds what an admin needs per line (household).
 */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

export interface TrailListLine {
  id: number;
  sentences: string[];
  time: string;
  at: string;
}

export function TrailList<Line extends TrailListLine>({
  lines,
  extra,
}: {
  lines: Line[];
  extra?: (line: Line) => ReactNode;
}) {
  const { t } = useTranslation("acting");
  return (
    <ul className="list-plain stack trail">
      {lines.map((line) => (
        <li key={line.id} data-entry={line.id}>
          {extra ? extra(line) : null}
          {line.sentences.map((sentence, i) => (
            <span key={i}>
              {sentence}
              {i < line.sentences.length - 1 ? <br /> : null}
            </span>
          ))}{" "}
          <time dateTime={line.at} className="muted">
            {t("trail.at", { time: line.time })}
          </time>
        </li>
      ))}
    </ul>
  );
}
