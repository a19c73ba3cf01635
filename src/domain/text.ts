/** Cleaning text people type, before rules look at it. */

// C0 and C1 controls except tab and newline, plus bidi overrides that can disguise text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is its job
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
// Half of a surrogate pair with no other half: not a character, and no encoding can carry it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Every way to end a line (CR alone included, and the line and paragraph separators).
const LINE_END = /\r\n?|[\n\u2028\u2029]/g;

/** One line of text: line breaks and tabs made spaces, controls removed, spaces collapsed, trimmed. */
export function cleanLine(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value
    .replace(LONE_SURROGATE, '')
    .replace(LINE_END, ' ')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

// Characters that show nothing: format characters (zero-width spaces and joiners, bidi marks), the
// ones Unicode says to ignore when drawing (Hangul fillers, variation selectors) and the blank
// Braille pattern. In a name they only help one person pass for another. The joiners (ZWJ, ZWNJ)
// stay where they join two letters: Persian and Indic names are spelled with them.
const INVISIBLE =
  /(?![\u200C\u200D])[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]|(?<![\p{L}\p{M}])[\u200C\u200D]|[\u200C\u200D](?![\p{L}\p{M}])/gu;
// Spaces of every width, made plain spaces.
const WIDE_SPACES = /\p{Zs}/gu;
// Something a reader sees as writing: a letter or a digit.
const VISIBLE_LETTER = /[\p{L}\p{N}]/u;

/** A name people read: one line, invisible characters removed, every kind of space a plain one. */
export function cleanName(value: unknown): string {
  return cleanLine(typeof value === 'string' ? value.replace(INVISIBLE, '').replace(WIDE_SPACES, ' ') : value);
}

/** Whether a (cleaned) name has at least one letter or digit a reader can see. */
export function hasVisibleLetter(value: string): boolean {
  return VISIBLE_LETTER.test(value);
}

/** Several lines of text: controls removed, line ends normalised, trimmed. */
export function cleanText(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.replace(LONE_SURROGATE, '').replace(LINE_END, '\n').replace(CONTROL, '').trim();
}

/** Length in characters as a person counts them (code points, not UTF-16 units). */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}
