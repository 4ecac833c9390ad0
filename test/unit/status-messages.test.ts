// The status page's message files: what each language lacks (listed; it shows in German), the German
// fallback for a missing key, and placeholders filled in.
import { missingTranslations, STATUS_MESSAGES, statusText } from '../../core/i18n/status-page';

it('lists the keys each language does not translate (none today)', () => {
  const missing = missingTranslations();
  if (Object.keys(missing).length) console.log('Fehlende Übersetzungen (erscheinen auf Deutsch):', JSON.stringify(missing, null, 2));
  expect(missing).toEqual({});
});

it('a missing translation falls back to German and is listed', () => {
  const saved = STATUS_MESSAGES.tr['page.title'];
  delete STATUS_MESSAGES.tr['page.title'];
  try {
    expect(statusText('tr', 'page.title')).toBe('Wo stehe ich?');
    expect(missingTranslations()).toEqual({ tr: ['page.title'] });
  } finally {
    STATUS_MESSAGES.tr['page.title'] = saved;
  }
  expect(statusText('tr', 'page.title')).toBe('Ne durumdayım?');
  expect(statusText('en', 'contact.text', { name: 'Frau Muster' })).toMatch(/^Frau Muster, municipal/);
});
