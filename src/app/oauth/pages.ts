import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import type { CustomerScope } from '../../domain/oauth/customer-grant.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** What each scope lets the app do, as the consent screen says it. */
const SCOPE_WORDING: Record<CustomerScope, string> = {
  profile: 'See your name and contact details',
  'points:read': 'See your points, tier and transactions',
  'points:redeem': 'Spend your points on rewards',
  'points:transfer': 'Transfer your points to another member',
  'campaigns:read': 'See the campaigns you can join',
  'campaigns:join': 'Join campaigns for you',
};

/** Who the page speaks for: the org (brand) and the app asking. */
export interface PageFrame {
  readonly orgName: string;
  readonly appName: string;
  /** Origins the forms may end up at (the app's redirect URIs), for the CSP's form-action. */
  readonly formTargets: readonly string[];
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}
label{display:block;font-weight:600;margin-top:1rem}input{font-size:1.1rem;padding:.5rem;width:100%;box-sizing:border-box}
button{font-size:1rem;padding:.6rem 1.2rem;margin-top:1rem;margin-right:.5rem}.error{color:#a00000;font-weight:600}
.note{color:#444;font-size:.9rem}`;

/** Sends a page: no script at all, styles by nonce, no framing, no caching, forms only to this server (and the app, after consent). */
export function sendPage(res: Response, frame: PageFrame, title: string, body: string, status = 200): void {
  const nonce = randomBytes(16).toString('base64');
  const formAction = ["'self'", ...frame.formTargets].join(' ');
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    })
    .send(
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(frame.orgName)}</title><style nonce="${nonce}">${STYLE}</style></head>
<body><main><p>${escapeHtml(frame.orgName)}</p><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`,
    );
}

function errorLine(error: string | undefined): string {
  return error ? `<p class="error" role="alert" id="form-error">${escapeHtml(error)}</p>` : '';
}

/** Step 1: the customer's mobile or email. */
export function identifierForm(frame: PageFrame, action: string, error?: string): string {
  return `<p>Sign in to <strong>${escapeHtml(frame.appName)}</strong> with your ${escapeHtml(frame.orgName)} membership. We will send you a 6-digit code.</p>
${errorLine(error)}<form method="post" action="${escapeHtml(action)}">
<label for="identifier">Mobile number or email</label>
<input id="identifier" name="identifier" type="text" autocomplete="username" required maxlength="254"${error ? ' aria-describedby="form-error"' : ''}>
<button type="submit">Send code</button></form>`;
}

/** Step 2: the code, for whoever typed the identifier (the same page whether or not it named a member). */
export function codeForm(frame: PageFrame, action: string, restart: string, error?: string): string {
  return `<p>If this number or email belongs to a ${escapeHtml(frame.orgName)} member, a 6-digit code is on its way. It is valid for 5 minutes.</p>
${errorLine(error)}<form method="post" action="${escapeHtml(action)}">
<label for="code">6-digit code</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6"${error ? ' aria-describedby="form-error"' : ''}>
<button type="submit">Sign in</button></form>
<p class="note"><a href="${escapeHtml(restart)}">Use another number or email, or get a new code</a></p>`;
}

/** Step 3: what the app will be allowed to do. */
export function consentForm(frame: PageFrame, action: string, scopes: readonly CustomerScope[]): string {
  const items = scopes.map((scope) => `<li>${escapeHtml(SCOPE_WORDING[scope])}</li>`).join('');
  return `<p><strong>${escapeHtml(frame.appName)}</strong> asks to:</p><ul>${items}</ul>
<form method="post" action="${escapeHtml(action)}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`;
}

/** A page that only explains (an expired sign-in, a refusal). */
export function messageBlock(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}
