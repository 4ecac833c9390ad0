// A browser stand-in that crosses origins: follows redirects itself, keeps cookies per origin and path,
// and submits the first POST form of a page with its hidden fields — enough to walk through an
// identity provider's login and consent pages and back to the app.
export interface Page {
  status: number;
  url: string;
  text: string;
  headers: Headers;
}

interface Cookie {
  origin: string;
  name: string;
  value: string;
  path: string;
}

export class RedirectBrowser {
  private cookies: Cookie[] = [];

  cookie(origin: string, name: string): string | undefined {
    return this.cookies.find((c) => c.origin === origin && c.name === name)?.value;
  }

  /** One request, no redirect followed. */
  async request(method: string, url: string, form?: Record<string, string>): Promise<Page & { location: string | null }> {
    const u = new URL(url);
    const send = this.cookies.filter(
      (c) => c.origin === u.origin && (u.pathname === c.path || u.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)),
    );
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        ...(send.length ? { cookie: send.map((c) => `${c.name}=${c.value}`).join('; ') } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      const attr = (a: string) => attrs.find((x) => x.toLowerCase().startsWith(`${a}=`))?.slice(a.length + 1);
      const path = attr('path') ?? '/';
      const expired = attr('max-age') === '0' || (attr('expires') !== undefined && Date.parse(attr('expires')!) < Date.now());
      this.cookies = this.cookies.filter((c) => !(c.origin === u.origin && c.name === name && c.path === path));
      if (value && !expired) this.cookies.push({ origin: u.origin, name, value, path });
    }
    const location = res.headers.get('location');
    return {
      status: res.status,
      url,
      text: await res.text(),
      headers: res.headers,
      location: location ? new URL(location, url).toString() : null,
    };
  }

  /** Follows redirects until a page answers (or until `stopAt` matches a redirect target: then that URL, not requested). */
  async follow(
    method: string,
    url: string,
    form?: Record<string, string>,
    stopAt?: (url: string) => boolean,
  ): Promise<Page & { stoppedAt?: string }> {
    let r = await this.request(method, url, form);
    for (let hops = 0; r.location && hops < 20; hops++) {
      if (stopAt?.(r.location)) return { ...r, stoppedAt: r.location };
      r = await this.request('GET', r.location);
    }
    return r;
  }

  /** Submits the page's first POST form: its hidden fields plus `fields`. */
  submit(page: Page, fields: Record<string, string>, stopAt?: (url: string) => boolean) {
    const form = page.text.match(/<form(?=[^>]*method="post")[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i);
    if (!form) throw new Error(`no POST form on ${page.url}: ${page.text.slice(0, 500)}`);
    const values: Record<string, string> = {};
    for (const m of form[2].matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
      const name = m[0].match(/name="([^"]*)"/)?.[1];
      if (name) values[name] = m[0].match(/value="([^"]*)"/)?.[1] ?? '';
    }
    const action = new URL(form[1].replace(/&amp;/g, '&'), page.url).toString();
    return this.follow('POST', action, { ...values, ...fields }, stopAt);
  }
}
