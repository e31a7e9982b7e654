import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { SelectField } from "~/components/forms";
import type { CommunesResponse } from "~/routes/admin-units.communes";
import { foldVietnamese, oneLine } from "~/utils/text";

export type ProvinceOption = { code: string; name: string };
export type CommuneOption = { code: string; name: string; fullName: string };

/** The submit button that reloads the commune list without JavaScript. */
export const PICK_PROVINCE_INTENT = "pick-province";

export type CommunePickerProps = {
  /** Every province, in display order (listProvinces). */
  provinces: ProvinceOption[];
  /** The chosen province code, if any. */
  province?: string | null;
  /** The chosen commune code, if any; must belong to `province`. */
  commune?: string | null;
  /** The communes of `province` (listCommunes), or [] when none is chosen. */
  communes: CommuneOption[];
  /** Translated messages for the fields named provinceCode and communeCode. */
  errors?: { provinceCode?: string; communeCode?: string };
  /** Replaces the default field labels (e.g. "Tỉnh nơi hộ sinh sống"). */
  labels?: { province?: string; commune?: string; search?: string; pickProvince?: string };
};

const SEARCH_DELAY_MS = 200;
const MAX_RESULTS = 20;

/**
 * Province → commune fields for a form the caller owns: posts `provinceCode`
 * and `communeCode` (the commune <select> is the source of truth).
 *
 * Without JavaScript the commune list is the one the server rendered, for
 * `province`. Changing the province then needs a round trip, so a submit button
 * `name="intent" value="pick-province"` (PICK_PROVINCE_INTENT) sits under the
 * province select until JavaScript takes over. The caller's action must:
 *  - on intent=pick-province: save nothing and show no validation errors; answer
 *    with the form again, its typed values kept, `province` = the posted
 *    provinceCode, `commune` = null and `communes` = listCommunes(provinceCode);
 *  - otherwise: check that communeCode exists AND belongs to provinceCode
 *    (getCommune(code)?.provinceCode === provinceCode): a farmer without
 *    JavaScript can change the province and submit without reloading the list.
 *
 * With JavaScript, changing the province fetches its communes from
 * /admin-units/communes, and a search box filters them as the farmer types,
 * with or without diacritics ("an lao" finds An Lão): instantly over the list
 * already loaded, then with the server's ranking after a short pause.
 */
export function CommunePicker({
  provinces,
  province,
  commune,
  communes,
  errors = {},
  labels = {},
}: CommunePickerProps) {
  const { t } = useTranslation("common");
  // False on the server and during hydration: what a phone without JavaScript gets.
  const [hydrated, setHydrated] = useState(false);
  // The province whose communes the caller passed in.
  const renderedProvince = province ?? "";

  const [provinceCode, setProvinceCode] = useState(renderedProvince);
  const [communeCode, setCommuneCode] = useState(commune ?? "");
  // A search result outside the loaded list (which is capped) still needs an <option>.
  const [picked, setPicked] = useState<CommuneOption | null>(null);
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [activeCode, setActiveCode] = useState<string | null>(null);

  // The caller re-rendered with another choice (e.g. after its action): follow it.
  const [shown, setShown] = useState({ province, commune });
  if (shown.province !== province || shown.commune !== commune) {
    setShown({ province, commune });
    setProvinceCode(province ?? "");
    setCommuneCode(commune ?? "");
    setPicked(null);
    setQuery("");
  }

  const list = useCommunesRequest();
  const search = useCommunesRequest();
  const loadSearch = search.load;

  const loaded: CommuneOption[] | null =
    provinceCode === renderedProvince ? communes : list.answerFor(provinceCode, "");
  const listFailed = loaded === null && list.failedFor(provinceCode, "");
  const options = picked && loaded && !loaded.some((c) => c.code === picked.code) ? [...loaded, picked] : loaded;

  const trimmed = query.trim().replace(/\s+/g, " ");
  const results =
    (provinceCode && trimmed ? search.answerFor(provinceCode, trimmed) : null) ?? filterCommunes(loaded ?? [], trimmed);
  const expanded = open && trimmed !== "" && results.length > 0;
  const active = expanded ? results.find((c) => c.code === activeCode) : undefined;

  // The box shows the chosen name after a pick: no need to ask the server about it.
  const justPicked = picked !== null && trimmed === picked.name;
  useEffect(() => {
    if (!hydrated || !provinceCode || !trimmed || justPicked) return;
    const timer = setTimeout(() => loadSearch(provinceCode, trimmed), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [hydrated, provinceCode, trimmed, justPicked, loadSearch]);

  // On a slow link the farmer may choose before the JavaScript arrives. Hydration
  // leaves the selects as they are, but the next render would reset them to the
  // state, so read them first.
  useEffect(() => {
    const valueOf = (id: string) => (document.getElementById(id) as HTMLSelectElement | null)?.value;
    const shownProvince = valueOf(PROVINCE_ID);
    const shownCommune = valueOf(COMMUNE_ID);
    setHydrated(true);
    if (shownProvince !== undefined && shownProvince !== provinceCode) changeProvince(shownProvince);
    else if (shownCommune !== undefined) setCommuneCode(shownCommune);
    // Only once, when the page comes alive.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (active) document.getElementById(optionId(active.code))?.scrollIntoView({ block: "nearest" });
  }, [active]);

  function changeProvince(code: string) {
    setProvinceCode(code);
    setCommuneCode("");
    setPicked(null);
    setQuery("");
    if (code && code !== renderedProvince) list.load(code, "");
  }

  function choose(c: CommuneOption) {
    setCommuneCode(c.code);
    setPicked(c);
    setQuery(c.name);
    setOpen(false);
    setActiveCode(null);
  }

  function onSearchKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    const step = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
    if (step) {
      e.preventDefault();
      if (!results.length) return;
      setOpen(true);
      const at = active ? results.indexOf(active) : step > 0 ? -1 : results.length;
      setActiveCode(results[(at + step + results.length) % results.length].code);
    } else if (e.key === "Enter" && expanded) {
      // The phone's "Go" key: pick the highlighted (or best) commune, don't submit the form yet.
      e.preventDefault();
      choose(active ?? results[0]);
    } else if (e.key === "Escape") {
      if (expanded) setOpen(false);
      else setQuery("");
    }
  }

  const communePlaceholder = !provinceCode
    ? t("communePicker.chooseProvinceFirst")
    : loaded === null
      ? listFailed
        ? t("communePicker.loadFailed")
        : t("communePicker.loading")
      : t("communePicker.communePlaceholder");

  return (
    <div className="commune-picker stack">
      <div className="stack">
        <SelectField
          name="provinceCode"
          label={labels.province ?? t("communePicker.province")}
          hint={hydrated ? undefined : t("communePicker.pickProvinceHint")}
          error={errors.provinceCode}
          placeholder={t("communePicker.provincePlaceholder")}
          options={provinces.map((p) => ({ value: p.code, label: p.name }))}
          value={provinceCode}
          onChange={(e) => changeProvince(e.currentTarget.value)}
          required
        />
        {hydrated ? null : (
          <button type="submit" name="intent" value={PICK_PROVINCE_INTENT} className="btn" formNoValidate>
            {labels.pickProvince ?? t("communePicker.pickProvince")}
          </button>
        )}
      </div>

      {hydrated && provinceCode ? (
        <div className="field">
          <label id={`${SEARCH_ID}-label`} htmlFor={SEARCH_ID}>
            {labels.search ?? t("communePicker.search")}
          </label>
          <div className="combobox">
            <input
              id={SEARCH_ID}
              type="text"
              role="combobox"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              enterKeyHint="search"
              aria-autocomplete="list"
              aria-expanded={expanded}
              aria-controls={LISTBOX_ID}
              aria-activedescendant={active ? optionId(active.code) : undefined}
              aria-describedby={`${SEARCH_ID}-hint`}
              placeholder={t("communePicker.searchPlaceholder")}
              value={query}
              onChange={(e) => {
                setQuery(e.currentTarget.value);
                setOpen(true);
                setActiveCode(null);
              }}
              onFocus={() => setOpen(true)}
              onBlur={() => setOpen(false)}
              onKeyDown={onSearchKeyDown}
            />
            {/* Rendered even when closed: aria-controls must point at an element. */}
            <ul
              id={LISTBOX_ID}
              role="listbox"
              aria-labelledby={`${SEARCH_ID}-label`}
              className="combobox__list"
              hidden={!expanded}
              // Keeps focus in the input, so a tap reaches the option before blur closes the list.
              onMouseDown={(e) => e.preventDefault()}
            >
              {expanded
                ? results.map((c) => (
                    // Keyboard users reach options through the input (aria-activedescendant).
                    // eslint-disable-next-line jsx-a11y/click-events-have-key-events
                    <li
                      key={c.code}
                      id={optionId(c.code)}
                      role="option"
                      aria-selected={c.code === active?.code}
                      className="combobox__option"
                      onClick={() => choose(c)}
                    >
                      {c.fullName}
                    </li>
                  ))
                : null}
            </ul>
          </div>
          <p id={`${SEARCH_ID}-hint`} className="field-hint">
            {t("communePicker.searchHint")}
          </p>
          <p role="status" className={open && trimmed && !results.length ? "field-hint" : "visually-hidden"}>
            {open && trimmed
              ? results.length
                ? t("communePicker.results", { count: results.length })
                : t("communePicker.noResults", { q: trimmed })
              : ""}
          </p>
        </div>
      ) : null}

      <SelectField
        name="communeCode"
        label={labels.commune ?? t("communePicker.commune")}
        error={errors.communeCode}
        placeholder={communePlaceholder}
        options={(options ?? []).map((c) => ({ value: c.code, label: c.fullName }))}
        value={communeCode}
        onChange={(e) => {
          setCommuneCode(e.currentTarget.value);
          setQuery("");
        }}
        aria-busy={provinceCode !== "" && loaded === null && !listFailed ? true : undefined}
        required
      />
      {listFailed ? (
        <p className="field-error" role="alert">
          {t("communePicker.loadFailedHelp")}{" "}
          <button type="button" className="btn btn-small" onClick={() => list.load(provinceCode, "")}>
            {t("communePicker.retry")}
          </button>
        </p>
      ) : null}
    </div>
  );
}

// forms.tsx names a field's element f-<name>.
const PROVINCE_ID = "f-provinceCode";
const COMMUNE_ID = "f-communeCode";
const SEARCH_ID = "f-communeSearch";
const LISTBOX_ID = `${SEARCH_ID}-listbox`;
const optionId = (code: string) => `${SEARCH_ID}-option-${code}`;

/**
 * The loaded communes whose name contains the query, ignoring case and
 * diacritics, ordered as searchCommunes orders them on the server (the
 * spelling as typed, then the whole name, then names that start with it), so
 * that its answer does not reshuffle the list under the farmer's thumb.
 * "xa an lao" matches too: the full name carries the unit type.
 */
export function filterCommunes(communes: CommuneOption[], query: string, limit = MAX_RESULTS): CommuneOption[] {
  const q = oneLine(query);
  if (!q) return [];
  const folded = foldVietnamese(q);
  const lower = q.toLowerCase();
  const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return communes
    .map((c) => ({ c, name: foldVietnamese(c.name) }))
    .filter(({ c, name }) => name.includes(folded) || foldVietnamese(c.fullName).includes(folded))
    .map((r) => ({
      ...r,
      rank:
        (r.c.name.toLowerCase().includes(lower) ? 0 : 4) +
        (r.name === folded ? 0 : 2) +
        (r.name.startsWith(folded) ? 0 : 1),
    }))
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        byCodeUnits(a.name, b.name) ||
        byCodeUnits(a.c.name, b.c.name) ||
        byCodeUnits(a.c.code, b.c.code),
    )
    .slice(0, limit)
    .map((r) => r.c);
}

/**
 * One request at a time to /admin-units/communes; a newer one cancels the
 * older. A plain fetch rather than useFetcher: a fetcher's failed load
 * (a dropped 3G link) would replace the whole form with the route's error
 * page, and its ".data" URL skips the route's Cache-Control.
 */
function useCommunesRequest() {
  const [answer, setAnswer] = useState<{ key: string; communes: CommuneOption[] } | null>(null);
  const [failedKey, setFailedKey] = useState<string | null>(null);
  const inFlight = useRef<AbortController | null>(null);

  useEffect(() => () => inFlight.current?.abort(), []);

  const load = useCallback((province: string, q: string) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    const key = keyOf(province, q);
    const params = new URLSearchParams({ province });
    if (q) params.set("q", q);
    fetch(`/admin-units/communes?${params}`, { signal: controller.signal, headers: { Accept: "application/json" } })
      .then((res) => (res.ok ? (res.json() as Promise<CommunesResponse>) : Promise.reject(new Error(`${res.status}`))))
      .then((body) => {
        setAnswer({ key, communes: body.communes });
        setFailedKey(null);
      })
      .catch(() => {
        if (!controller.signal.aborted) setFailedKey(key);
      });
  }, []);

  return {
    load,
    answerFor: (province: string, q: string) => (answer?.key === keyOf(province, q) ? answer.communes : null),
    failedFor: (province: string, q: string) => failedKey === keyOf(province, q),
  };
}

const keyOf = (province: string, q: string) => `${province}\n${q}`;
