/**
 * The languages dates and times are written in, and the choice of one from a browser's
 * Accept-Language header. Only dates and times are localised: sentences stay English.
 */

/** Locales dates and times are written in. */
export const SUPPORTED_LOCALES = [
  'en-US',
  'en-GB',
  'de',
  'fr',
  'es',
  'it',
  'nl',
  'pt-BR',
  'pl',
  'sv',
  'ja',
  'hi',
] as const;

export type Locale = (typeof SUPPORTED_LOCALES)[number];

/** The locale when a reader states none we support. */
export const DEFAULT_LOCALE: Locale = 'en-GB';

const supported = new Set<string>(SUPPORTED_LOCALES);
const byLowerCase = new Map<string, Locale>(SUPPORTED_LOCALES.map((locale) => [locale.toLowerCase(), locale]));

/** Whether a value is one of the supported locales, spelled exactly as listed. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && supported.has(value);
}

// Regions whose English writes month-first dates and 12-hour times. Any other English (plain "en",
// en-GB, en-AU, en-IN, en-IE, en-NZ, en-ZA, …) reads as en-GB, the app's own style.
const US_STYLE_REGIONS = new Set(['us', 'ca', 'ph', 'as', 'gu', 'mp', 'pr', 'um', 'vi']);

// Languages we write in one variant only: any Portuguese reads as Brazilian Portuguese.
const BY_LANGUAGE: Readonly<Record<string, Locale>> = {
  de: 'de',
  fr: 'fr',
  es: 'es',
  it: 'it',
  nl: 'nl',
  pt: 'pt-BR',
  pl: 'pl',
  sv: 'sv',
  ja: 'ja',
  hi: 'hi',
};

const TAG_RE = /^[a-z]{1,8}(-[a-z0-9]{1,8})*$/;
const Q_RE = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/;
// A header is sent by anyone: the work it costs is bounded before any parsing.
const HEADER_MAX = 512;
const ENTRIES_MAX = 20;

function matchTag(tag: string): Locale | null {
  const exact = byLowerCase.get(tag);
  if (exact) return exact;
  const subtags = tag.split('-');
  const language = subtags[0]!;
  if (language === 'en') {
    // The region is the first subtag after the language (and an optional 4-letter script).
    const region = subtags.slice(1).find((s) => s.length !== 4);
    return region && US_STYLE_REGIONS.has(region) ? 'en-US' : 'en-GB';
  }
  return BY_LANGUAGE[language] ?? null;
}

/**
 * The supported locale a reader prefers, from an Accept-Language header: entries by q-value (ties
 * keep the header's order), each matched by its exact tag, then by its language (de-AT → de, pt-PT →
 * pt-BR, plain "en" → en-GB, en-US and en-CA → en-US). `*` accepts the fallback; `q=0` refuses a
 * locale. Malformed entries are skipped; only the first 20 entries of the first 512 characters count.
 * Falls back to en-GB.
 */
export function pickLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  let header = acceptLanguage.slice(0, HEADER_MAX);
  // A cut header ends in a cut entry, which might read as another tag ("de-CH" cut to "de-C").
  if (acceptLanguage.length > HEADER_MAX) header = header.slice(0, Math.max(0, header.lastIndexOf(',')));
  const wanted: { tag: string; q: number; position: number }[] = [];
  const refused = new Set<Locale>();
  const entries = header.split(',', ENTRIES_MAX);
  for (let position = 0; position < entries.length; position++) {
    const [rawTag, ...params] = entries[position]!.split(';');
    // Some clients write tags the POSIX way (en_US): forgiven.
    const tag = rawTag!.trim().toLowerCase().replaceAll('_', '-');
    if (tag !== '*' && !TAG_RE.test(tag)) continue;
    let q = 1;
    if (params.length > 1) continue;
    if (params.length === 1) {
      const param = params[0]!.trim().toLowerCase();
      if (!Q_RE.test(param)) continue;
      q = Number(param.slice(2));
    }
    if (q === 0) {
      const locale = tag === '*' ? null : matchTag(tag);
      if (locale) refused.add(locale);
      continue;
    }
    wanted.push({ tag, q, position });
  }
  wanted.sort((a, b) => b.q - a.q || a.position - b.position);
  for (const { tag } of wanted) {
    if (tag === '*') {
      const any = refused.has(DEFAULT_LOCALE) ? SUPPORTED_LOCALES.find((l) => !refused.has(l)) : DEFAULT_LOCALE;
      if (any) return any;
      continue;
    }
    const locale = matchTag(tag);
    if (locale && !refused.has(locale)) return locale;
  }
  return DEFAULT_LOCALE;
}
