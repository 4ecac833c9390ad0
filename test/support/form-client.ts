// A browser stand-in for page tests without Chromium: keeps cookies, never follows redirects,
// posts forms with the page's own hidden fields.
import { DEMO_PASSWORD } from './stack';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

export function hidden(html: string, name: string): string {
  const m = html.match(new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`));
  if (!m) throw new Error(`hidden field ${name} not in page`);
  return m[1];
}

export class FormClient {
  readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  async request(method: string, path: string, form?: Record<string, string>): Promise<Reply> {
    const res = await fetch(this.baseUrl + path, {
      method,
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now());
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get('location') };
  }
  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, form: Record<string, string>) {
    return this.request('POST', path, form);
  }

  /** Posts a form of the page at `pagePath` with the page's own CSRF token. */
  async submit(pagePath: string, action: string, form: Record<string, string>) {
    const page = await this.get(pagePath);
    if (page.status !== 200) throw new Error(`${pagePath}: ${page.status}`);
    if (!page.text.includes(`action="${action}"`)) throw new Error(`${pagePath} has no form for ${action}`);
    return this.post(action, { _csrf: hidden(page.text, '_csrf'), ...form });
  }

  /** Logs in through the login form (its double-submit CSRF cookie included). */
  async login(email: string, password = DEMO_PASSWORD) {
    const page = await this.get('/login');
    return this.post('/login', { _csrf: hidden(page.text, '_csrf'), next: '', email, password });
  }
}
