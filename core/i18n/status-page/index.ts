// Messages of the person's status page: one file per language (de is the reference and the fallback).
import { ar } from './ar';
import { de, type StatusMessageKey, type StatusMessages } from './de';
import { en } from './en';
import { fa } from './fa';
import { tr } from './tr';
import { uk } from './uk';

export type { StatusMessageKey };
export const STATUS_LANGS = ['de', 'en', 'ar', 'uk', 'fa', 'tr'] as const;
export type StatusLang = (typeof STATUS_LANGS)[number];
export const RTL_LANGS: readonly StatusLang[] = ['ar', 'fa'];
/** each language's own name (for the switcher) */
export const LANG_NAMES: Record<StatusLang, string> = {
  de: 'Deutsch',
  en: 'English',
  ar: 'العربية',
  uk: 'Українська',
  fa: 'فارسی',
  tr: 'Türkçe',
};

export const STATUS_MESSAGES: Record<StatusLang, StatusMessages> = { de, en, ar, uk, fa, tr };

export const isStatusLang = (v: unknown): v is StatusLang => typeof v === 'string' && (STATUS_LANGS as readonly string[]).includes(v);

export function hasMessage(key: string): key is StatusMessageKey {
  return key in de;
}

/** The text of `key` in `lang`, German where the language lacks it; `{name}` placeholders filled in. */
export function statusText(lang: StatusLang, key: StatusMessageKey, vars: Record<string, string> = {}): string {
  const text = STATUS_MESSAGES[lang][key] ?? de[key];
  return text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

/** Per language, the keys it does not translate (they show in German). */
export function missingTranslations(): Record<string, StatusMessageKey[]> {
  const keys = Object.keys(de) as StatusMessageKey[];
  const out: Record<string, StatusMessageKey[]> = {};
  for (const lang of STATUS_LANGS) {
    const missing = keys.filter((k) => !STATUS_MESSAGES[lang][k]);
    if (missing.length) out[lang] = missing;
  }
  return out;
}
