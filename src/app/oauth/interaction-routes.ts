import express, { Router, type Request, type Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type Provider from 'oidc-provider';
import { selectRows } from '../../core/sql/rows.js';
import { CUSTOMER_SCOPES, type CustomerScope } from '../../domain/oauth/customer-grant.js';
import { findOAuthClient, type OAuthClientRecord } from '../../domain/oauth/oauth-client.service.js';
import { checkSignInCode, hasPendingSignInCode, issueSignInCode, parseSignInIdentifier } from '../../domain/oauth/sign-in-code.service.js';
import type { AppRuntime } from '../server/runtime.js';
import { codeForm, consentForm, identifierForm, messageBlock, sendPage, type PageFrame } from './pages.js';
import { INTERACTION_PATH, OAUTH_PATH } from './provider.js';
import { sendSignInCode, signInContext } from './sign-in-code-sender.js';
import type { SignInLimits } from './sign-in-limits.js';

type Log = (message: string, error?: unknown) => void;
type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/** A sign-in in progress: the provider's interaction, the client and its org. */
interface SignIn {
  readonly details: Details;
  readonly client: OAuthClientRecord;
  readonly frame: PageFrame;
  readonly base: string;
}

const NO_ORG_FRAME: PageFrame = { orgName: 'Sign in', appName: '', formTargets: [] };

/**
 * The sign-in pages of the authorization server, `/oauth/interaction/<uid>`: identifier, code,
 * consent. Server-rendered, no script; each POST is bound to the sign-in by the provider's
 * interaction cookie (SameSite, path-scoped), so another site cannot post into it.
 */
export function interactionRoutes(deps: { provider: Provider; orm: MikroORM; runtime: AppRuntime; limits: SignInLimits; log: Log }): Router {
  const { provider, orm, runtime, limits, log } = deps;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 });

  async function loadSignIn(req: Request, res: Response): Promise<SignIn | undefined> {
    let details: Details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      sendPage(res, NO_ORG_FRAME, 'Sign-in expired', messageBlock('This sign-in has expired or was opened in another browser. Go back to the app and start again.'), 400);
      return undefined;
    }
    const client = details.uid === req.params.uid ? await findOAuthClient(orm.em.fork(), String(details.params.client_id ?? '')) : undefined;
    const [org] = client ? await selectRows<{ name: string }>(orm.em.fork(), 'select name from org where id = ?', [client.orgId]) : [];
    if (!client || !org) {
      sendPage(res, NO_ORG_FRAME, 'Sign-in unavailable', messageBlock('This app can no longer sign you in.'), 400);
      return undefined;
    }
    const formTargets = [...new Set(client.redirectUris.map((uri) => new URL(uri).origin))];
    return { details, client, frame: { orgName: org.name, appName: client.name, formTargets }, base: `${OAUTH_PATH}${INTERACTION_PATH}/${details.uid}` };
  }

  function requestedScopes(signIn: SignIn): CustomerScope[] {
    const asked = new Set(String(signIn.details.params.scope ?? '').split(' '));
    return CUSTOMER_SCOPES.filter((scope) => asked.has(scope) && signIn.client.allowedScopes.includes(scope));
  }

  async function showStep(signIn: SignIn, res: Response, error?: string, status = 200): Promise<void> {
    const { details, frame, base } = signIn;
    if (details.prompt.name === 'consent') {
      sendPage(res, frame, `Allow ${frame.appName}?`, consentForm(frame, `${base}/consent`, requestedScopes(signIn)), status);
    } else if (await hasPendingSignInCode(orm.em.fork(), runtime.clock.now(), details.uid)) {
      sendPage(res, frame, 'Enter your code', codeForm(frame, `${base}/code`, `${base}?restart=1`, error), status);
    } else {
      sendPage(res, frame, 'Sign in', identifierForm(frame, `${base}/identifier`, error), status);
    }
  }

  const handle = (work: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await work(req, res);
    } catch (error) {
      log('A sign-in page failed', error);
      if (!res.headersSent) sendPage(res, NO_ORG_FRAME, 'Something went wrong', messageBlock('Please go back to the app and start again.'), 500);
    }
  };

  router.get(`${INTERACTION_PATH}/:uid`, handle(async (req, res) => {
    const signIn = await loadSignIn(req, res);
    if (!signIn) return;
    if (req.query.restart !== undefined && signIn.details.prompt.name === 'login') {
      sendPage(res, signIn.frame, 'Sign in', identifierForm(signIn.frame, `${signIn.base}/identifier`));
      return;
    }
    await showStep(signIn, res);
  }));

  router.post(`${INTERACTION_PATH}/:uid/identifier`, form, handle(async (req, res) => {
    const signIn = await loadSignIn(req, res);
    if (!signIn || signIn.details.prompt.name !== 'login') return void (signIn && (await showStep(signIn, res)));
    const identifier = parseSignInIdentifier(req.body?.identifier);
    if (!identifier) {
      sendPage(res, signIn.frame, 'Sign in', identifierForm(signIn.frame, `${signIn.base}/identifier`, 'Type a mobile number or an email address.'), 400);
      return;
    }
    const wait = await limits.consume(`${signIn.client.orgId}:${identifier.type}:${identifier.value.replace(/[^0-9a-z@.+_-]/gi, '')}`, req.ip ?? 'unknown');
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60);
      sendPage(res, signIn.frame, 'Sign in', identifierForm(signIn.frame, `${signIn.base}/identifier`, `Too many codes were asked for. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`), 429);
      return;
    }
    const ctx = await signInContext(orm, runtime, signIn.client.orgId, signIn.client.clientId);
    if (!ctx) throw new Error(`The org of client ${signIn.client.clientId} is gone`);
    const issued = await issueSignInCode(ctx, { clientId: signIn.client.clientId, interactionUid: signIn.details.uid, identifier });
    // The send runs after the answer, for a member and a stranger alike: the page and its timing say nothing of who is one.
    if (issued.customerId !== null) {
      const customerId = issued.customerId;
      setImmediate(() => void sendSignInCode({ ...ctx, em: orm.em.fork() }, runtime, customerId, identifier.type, issued.code).catch((error: unknown) => log('A sign-in code could not be sent', error)));
    }
    res.redirect(303, signIn.base);
  }));

  router.post(`${INTERACTION_PATH}/:uid/code`, form, handle(async (req, res) => {
    const signIn = await loadSignIn(req, res);
    if (!signIn || signIn.details.prompt.name !== 'login') return void (signIn && (await showStep(signIn, res)));
    const check = await checkSignInCode(orm.em.fork(), runtime.clock.now(), signIn.details.uid, req.body?.code);
    if (check.outcome === 'WRONG') {
      const left = `${check.attemptsLeft} ${check.attemptsLeft === 1 ? 'try' : 'tries'} left`;
      sendPage(res, signIn.frame, 'Enter your code', codeForm(signIn.frame, `${signIn.base}/code`, `${signIn.base}?restart=1`, `That code is not right (${left}).`), 400);
      return;
    }
    if (check.outcome === 'NEW_CODE_NEEDED') {
      sendPage(res, signIn.frame, 'Sign in', identifierForm(signIn.frame, `${signIn.base}/identifier`, 'That code can no longer be used. Ask for a new one.'), 400);
      return;
    }
    if (check.orgId !== signIn.client.orgId) throw new Error('A sign-in code of another org');
    await provider.interactionFinished(req, res, { login: { accountId: String(check.customerId) } }, { mergeWithLastSubmission: false });
  }));

  router.post(`${INTERACTION_PATH}/:uid/consent`, form, handle(async (req, res) => {
    const signIn = await loadSignIn(req, res);
    if (!signIn || signIn.details.prompt.name !== 'consent') return void (signIn && (await showStep(signIn, res)));
    if (req.body?.decision !== 'allow') {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The customer did not allow the app.' }, { mergeWithLastSubmission: false });
      return;
    }
    const { details } = signIn;
    const accountId = details.session?.accountId;
    if (!accountId) throw new Error('Consent without a signed-in customer');
    const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    const grant = existing ?? new provider.Grant({ accountId, clientId: signIn.client.clientId });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: existing ? {} : { grantId } }, { mergeWithLastSubmission: true });
  }));

  return router;
}
