import type { TestGateway } from './sms-gateway.js';

/** A page the browser stopped at: the server's answer, or the app's redirect URI it was sent to. */
export interface Stop {
  readonly status: number;
  readonly url: string;
  readonly html: string;
}

/**
 * A browser without JavaScript, as far as the sign-in pages need one: it keeps cookies (by name;
 * the pages' cookies do not collide), follows redirects on the server, posts forms, and stops at
 * the first redirect that leaves the server (the app's redirect URI).
 */
export class TestBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string, private readonly address = '127.0.0.1') {}

  private keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((attribute) => /^\s*expires=/i.test(attribute) && Date.parse(attribute.split('=')[1]) < Date.now()) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private async send(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '), 'x-forwarded-for': this.address };
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.form ? new URLSearchParams(init.form).toString() : undefined, redirect: 'manual' });
    this.keep(response);
    return response;
  }

  /** Opens a URL (GET, or POSTs a form) and follows the redirects on the server. */
  async go(url: string, form?: Record<string, string>): Promise<Stop> {
    let response = await this.send(url, form ? { method: 'POST', form } : {});
    let current = url;
    for (let hops = 0; hops < 10; hops += 1) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { status: response.status, url: current, html: await response.text() };
      await response.body?.cancel();
      current = new URL(location, current).toString();
      if (!current.startsWith(this.origin)) return { status: response.status, url: current, html: '' };
      response = await this.send(current);
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  /** Posts the page's only form (or the one whose action contains `which`). */
  async submit(page: Stop, fields: Record<string, string>, which = ''): Promise<Stop> {
    const actions = [...page.html.matchAll(/<form method="post" action="([^"]+)"/g)].map((match) => match[1].replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))));
    const action = actions.find((candidate) => candidate.includes(which));
    if (!action) throw new Error(`No form ${which} on the page: ${page.html.slice(0, 500)}`);
    return this.go(new URL(action, page.url).toString(), fields);
  }
}

/** The newest sign-in code the gateway was sent for a mobile, once it arrives. */
export async function codeSentTo(gateway: TestGateway, mobile: string, after = 0, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sent = gateway.requests.slice(after).filter((request) => request.body.to === mobile);
    const last = sent.at(-1);
    const code = last?.body.text.match(/\b(\d{6})\b/)?.[1];
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`No code reached ${mobile}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
