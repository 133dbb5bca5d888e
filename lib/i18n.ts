/**
 * Which language the reader's messages are in. Most readers of the book read Korean: what tells a
 * reader to fix something, a stack's outputs and the offline plan's own lines follow the locale;
 * commands, keys and names inside them stay as they are. Tests and generated files stay English.
 */

/** The languages messages are written in. */
export const LANGUAGES = ["en", "ko"] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * The language of the locale, as POSIX tools choose it: the first of `LC_ALL`, `LC_MESSAGES` and
 * `LANG` that is set decides (so `LC_ALL=C` means English whatever `LANG` says). With none set, as
 * on Windows, the system locale that Node reports decides.
 */
export function language(
  env: NodeJS.ProcessEnv = process.env,
  systemLocale: () => string = () => Intl.DateTimeFormat().resolvedOptions().locale,
): Language {
  const posix = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  const locale = posix || systemLocale();
  return /^ko(?:[_.@-]|$)/i.test(locale) ? "ko" : "en";
}
